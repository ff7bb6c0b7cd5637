/**
 * Image references (`name:tag`) and the key=value lists of --env/--label,
 * checked up front so a bad one is reported before anything is built.
 */
import { ImageError } from './errors.js';

export interface ImageReference {
  /** Repository, e.g. `hello` or `registry.example:5000/team/hello`. */
  repository: string;
  tag: string;
}

// Grammar of the distribution spec: lowercase path components joined by `/`,
// each split by `.`, `_`, `__` or runs of `-`; an optional registry host[:port] first.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?';
const REPOSITORY = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Splits and checks `name[:tag]`; the tag defaults to `latest`. */
export function parseReference(text: string): ImageReference {
  const slash = text.lastIndexOf('/');
  const colon = text.lastIndexOf(':');
  const hasTag = colon > slash;
  const repository = hasTag ? text.slice(0, colon) : text;
  const tag = hasTag ? text.slice(colon + 1) : 'latest';
  if (repository.length > 255 || !REPOSITORY.test(repository))
    throw new ImageError(
      `invalid image name \`${text}': use lowercase letters, digits and separators (. _ -), e.g. hello:latest`,
    );
  if (!TAG.test(tag))
    throw new ImageError(`invalid image tag \`${tag}' in \`${text}': use up to 128 letters, digits, _ . -`);
  return { repository, tag };
}

export function formatReference(ref: ImageReference): string {
  return `${ref.repository}:${ref.tag}`;
}

/** Checks one `KEY=VALUE` item of `--env` or `--label` and returns [key, value]. */
export function parseKeyValue(text: string, what: 'environment variable' | 'label'): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ImageError(`invalid ${what} \`${text}': expected KEY=VALUE`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}
