/**
 * explainImage: what an image archive is made of, for learners. Shows each
 * part with its digest and size and how the parts point at each other:
 * index.json → manifest → config + layers, config.rootfs.diff_ids → layers.
 */
import { readImage, type ImageInfo, type LayerFile, type LayerInfo } from './read.js';

function bytes(n: number): string {
  return `${String(n)} byte${n === 1 ? '' : 's'}`;
}

function permissions(file: LayerFile): string {
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => ((file.mode >> (8 - i)) & 1 ? c : '-'))
    .join('');
  return `${file.type === 'directory' ? 'd' : '-'}${bits}`;
}

function layerLines(layer: LayerInfo, i: number): string[] {
  const compressed = layer.size !== layer.uncompressedSize ? `, ${bytes(layer.uncompressedSize)} uncompressed` : '';
  const lines = [
    `layer ${String(i)}  ${layer.path}`,
    `  digest    ${layer.digest}  (${bytes(layer.size)}${compressed}, ${layer.mediaType})`,
    `  diff_id   ${layer.diffId}  (digest of the uncompressed tar; the config lists it)`,
    `  files:`,
  ];
  for (const f of layer.files)
    lines.push(
      `    ${permissions(f)} ${String(f.uid)}/${String(f.gid)} ${String(f.size).padStart(8)}  /${f.path.replace(/\/$/, '')}`,
    );
  return lines;
}

function contentSize(info: ImageInfo): number {
  return info.layers.reduce((n, l) => n + l.files.reduce((m, f) => m + f.size, 0), 0);
}

/** Renders a validated description of `info` (see readImage). */
export function describeImage(info: ImageInfo): string {
  const kind = info.format === 'oci' ? 'OCI image layout' : 'docker archive (docker load / podman load)';
  const { config } = info;
  const out = [
    `${kind}: ${bytes(info.archiveSize)}, tag ${info.reference ?? '(none)'}`,
    `platform ${config.os}/${config.architecture}; files in the layers: ${bytes(contentSize(info))}`,
    '',
  ];
  for (const e of info.entries) out.push(`${e.path.padEnd(14)} ${bytes(e.size)}`);
  if (info.format === 'oci') out.push('  index.json → manifest (by digest); oci-layout names the layout version');
  else out.push('  manifest.json → config file and layer files (by path); repositories → tag to top layer id');
  out.push('');
  if (info.manifest !== undefined) {
    out.push(`manifest  ${info.manifest.path}`, `  digest    ${info.manifest.digest}  (${bytes(info.manifest.size)})`);
    out.push(`  → config  ${config.digest}`);
    for (const [i, l] of info.layers.entries()) out.push(`  → layer ${String(i)} ${l.digest}`);
    out.push('');
  }
  out.push(`config    ${config.path}`, `  digest    ${config.digest}  (${bytes(config.size)})`);
  out.push(`  Entrypoint ${JSON.stringify(config.entrypoint)}`);
  if (config.cmd.length > 0) out.push(`  Cmd       ${JSON.stringify(config.cmd)}`);
  if (config.env.length > 0) out.push(`  Env       ${JSON.stringify(config.env)}`);
  for (const [k, v] of Object.entries(config.labels)) out.push(`  Label     ${k}=${v}`);
  if (config.created !== undefined) out.push(`  created   ${config.created}`);
  for (const [i, d] of config.diffIds.entries()) out.push(`  rootfs.diff_ids[${String(i)}] ${d} → layer ${String(i)}`);
  out.push('');
  for (const [i, l] of info.layers.entries()) out.push(...layerLines(l, i), '');
  out.push('All digests were recomputed from the content and match.');
  return `${out.join('\n')}\n`;
}

/** Reads, validates and describes an image archive. */
export async function explainImage(archive: Uint8Array): Promise<string> {
  return describeImage(await readImage(archive));
}
