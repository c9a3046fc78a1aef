// hapi 20 is installed under the alias `hapi20` and ships no types of its own. The tests use only the
// part of the API that hapi 20 and 21 share, so hapi 21's types describe it well enough.
declare module 'hapi20' {
  export * from '@hapi/hapi';
}
