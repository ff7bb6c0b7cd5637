/** Every problem with the inputs or an archive is an ImageError with a one-line message. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}
