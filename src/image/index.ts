/**
 * tsimage library: build a `FROM scratch` container image (OCI layout or docker
 * archive) from files, read one back with every digest checked, and explain it.
 * No file system access here; the CLI (src/cli/tsimage.ts) does the I/O.
 */
export { buildImage, type BuildImageOptions, type ImageFile, type ImageFormat } from './build.js';
export { elfArchitecture, type Architecture } from './elf.js';
export { ImageError } from './errors.js';
export { describeImage, explainImage } from './explain.js';
export { readImage, type ConfigInfo, type ImageInfo, type LayerFile, type LayerInfo } from './read.js';
export { parseReference, type ImageReference } from './reference.js';
export { digestOf, sha256Hex } from './digest.js';
