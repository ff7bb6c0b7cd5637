#!/usr/bin/env node
// `npm run image`: the post's hello image end to end, without Docker.
//   32-bit: fixtures/hello.asm → tsnasm -f elf32 → tsld → tsimage (OCI and docker archives)
//   64-bit: fixtures/image/hello64 (made by real nasm -f elf64 + ld, see
//           scripts/gen-image-fixtures.sh) → tsimage, until tsnasm/tsld write x86-64.
// Prints the sizes beside the 484 bytes `docker images` showed in the post
// (Docker's image size is the size of the files in its layers: the executable).
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';

const POST_IMAGE_SIZE = 484;
const node = (script, args) => execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });
const size = (path) => statSync(path).size;

mkdirSync('build', { recursive: true });
node('bin/tsnasm.js', ['-f', 'elf32', '-o', 'build/hello.o', 'fixtures/hello.asm']);
node('bin/tsld.js', ['-o', 'build/hello', 'build/hello.o']);

const rows = [
  { label: 'i386  (tsnasm + tsld)', exe: 'build/hello', name: 'hello32' },
  { label: 'amd64 (nasm + ld fixture)', exe: 'fixtures/image/hello64', name: 'hello64' },
];
for (const row of rows) {
  for (const format of ['oci', 'docker']) {
    const out = `build/${row.name}-${format}.tar`;
    node('bin/tsimage.js', ['--format', format, '--tag', `${row.name}:latest`, '-o', out, `${row.exe}:/hello`]);
    row[format] = size(out);
  }
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
