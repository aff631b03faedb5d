// `make build`: writes a brotli (quality 11) and a gzip (level 9) copy beside every text or
// WebAssembly file in the folders given, so the server sends them as they are (`/pkg`, `/sw`)
// instead of compressing the same bytes again for every uncached request. Node's own zlib:
// no dependency. Prints each file's sizes.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';

const COMPRESSIBLE = new Set(['.wasm', '.js', '.mjs', '.css', '.json', '.svg', '.html', '.txt']);

let total = { raw: 0, br: 0 };
for (const dir of process.argv.slice(2)) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile() || !COMPRESSIBLE.has(extname(name))) continue;
    const raw = readFileSync(path);
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]:
          extname(name) === '.wasm' ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(raw, { level: 9 });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gz);
    total.raw += raw.length;
    total.br += br.length;
    console.log(`precompress: ${path} ${raw.length} B, brotli ${br.length} B, gzip ${gz.length} B`);
  }
}
console.log(`precompress: ${total.raw} B in all, ${total.br} B as brotli`);
