// Express 4 is installed under the alias `express4` and ships no types of its own. The tests use only
// the part of the API that Express 4 and 5 share, so Express 5's types describe it well enough.
declare module 'express4' {
  import express from 'express';
  export default express;
}
