#!/usr/bin/env node
// `npm run image`: the post's hello image end to end, without Docker.
//   32-bit: fixtures/hello.asm → tsnasm -f elf32 → tsld → tsimage (OCI and docker archives)
//   64-bit: fixtures/image/hello64.asm → tsnasm -f elf64 → tsld → tsimage. The result must be
//           byte-identical to fixtures/image/hello64 (real nasm -f elf64 + ld + strip, see
//           scripts/gen-image-fixtures.sh); if it is not (an encoder gap), the script says so
//           and packs the nasm + ld fixture instead, so the image is never built from wrong bytes.
// Prints the sizes beside the 484 bytes `docker images` showed in the post
// (Docker's image size is the size of the files in its layers: the executable).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';

const POST_IMAGE_SIZE = 484;
const node = (script, args) => execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });
const size = (path) => statSync(path).size;

mkdirSync('build', { recursive: true });
node('bin/tsnasm.js', ['-f', 'elf32', '-o', 'build/hello.o', 'fixtures/hello.asm']);
node('bin/tsld.js', ['-o', 'build/hello', 'build/hello.o']);

const amd64 = buildAmd64();
const rows = [
  { label: 'i386  (tsnasm + tsld)', exe: 'build/hello', name: 'hello32' },
  { label: amd64.label, exe: amd64.exe, name: 'hello64' },
];
for (const row of rows) {
  for (const format of ['oci', 'docker']) {
    const out = `build/${row.name}-${format}.tar`;
    node('bin/tsimage.js', ['--format', format, '--tag', `${row.name}:latest`, '-o', out, `${row.exe}:/hello`]);
    row[format] = size(out);
  }
}

/** hello64 from our own toolchain when it matches ld + strip byte for byte; otherwise the fixture, said loudly. */
function buildAmd64() {
  const fixture = 'fixtures/image/hello64';
  try {
    node('bin/tsnasm.js', ['-f', 'elf64', '-o', 'build/hello64.o', 'fixtures/image/hello64.asm']);
    node('bin/tsld.js', ['-o', 'build/hello64', 'build/hello64.o']);
  } catch {
    console.warn('image: tsnasm/tsld could not build hello64; packing the nasm + ld fixture instead');
    return { label: 'amd64 (nasm + ld fixture)', exe: fixture };
  }
  if (Buffer.compare(readFileSync('build/hello64'), readFileSync(fixture)) === 0)
    return { label: 'amd64 (tsnasm + tsld)', exe: 'build/hello64' };
  console.warn('image: build/hello64 differs from ld + strip (fixtures/image/hello64); packing the fixture instead');
  return { label: 'amd64 (nasm + ld fixture)', exe: fixture };
}

const pad = (text, width) => String(text).padStart(width);
console.log(`\nhello image (FROM scratch), built without Docker; archives in build/`);
console.log(`${''.padEnd(26)}${pad('image size', 12)}${pad('OCI archive', 13)}${pad('docker archive', 16)}`);
for (const row of rows)
  console.log(
    `${row.label.padEnd(26)}${pad(`${size(row.exe)} B`, 12)}${pad(`${row.oci} B`, 13)}${pad(`${row.docker} B`, 16)}`,
  );
console.log(`${"the post's (gcc -m32 link)".padEnd(26)}${pad(`${POST_IMAGE_SIZE} B`, 12)}`);
console.log(`\nimage size = the files in the layer (what \`docker images\` reports): here just /hello.`);
console.log('Load and run: podman load -i build/hello32-docker.tar && podman run --rm hello32');
