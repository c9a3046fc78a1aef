// This package is being built; nothing is exported yet.
export {};
