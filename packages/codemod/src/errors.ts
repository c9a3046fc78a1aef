/** Bad usage or input (exit 2): the message is one line naming the file and the fix. */
export class InputError extends Error {
  override name = 'InputError';
}
