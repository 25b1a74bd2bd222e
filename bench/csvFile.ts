/** Large synthetic CSV files for the benchmarks, written as a stream. */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Writes `header` and `rows` lines made by `line` (without their line feed) to `file`, in UTF-8;
 * with `gb18030`, then recoded as Chinese Windows and 110 exports write it (Node writes only
 * UTF-8: iconv recodes).
 */
export async function writeCsvFile(
  file: string,
  header: string,
  rows: number,
  line: (i: number) => string,
  gb18030 = false,
): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${header}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  if (gb18030)
    execFileSync('sh', [
      '-c',
      'iconv -f UTF-8 -t GB18030 "$0" > "$0.gbk" && mv "$0.gbk" "$0"',
      file,
    ]);
}
