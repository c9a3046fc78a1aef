// Koa 2 is installed under the alias `koa2` and ships no types of its own. The tests use only the part
// of the API that Koa 2 and 3 share, so Koa 3's types describe it well enough.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
