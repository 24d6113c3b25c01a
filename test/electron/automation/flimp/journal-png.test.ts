/** The run journal's crash tolerance and the report's PNG encoder. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  FlimpJournal,
  journalState,
  readJournal,
} from '../../../../electron/automation/flimp/journal';
import { encodeGreyPng, thumbnailPng } from '../../../../electron/automation/flimp/png';
import { tempDir } from '../../../support/temp-dir';

const start = { t: 'start', name: 'r', plan: {}, centreUm: { xUm: 1, yUm: 2 }, atMs: 1 } as const;

describe('FLImP journal', () => {
  it('drops a torn last line, keeps the rest, and reads what is done', async () => {
    const dir = tempDir('aquila-journal-');
    const j = await FlimpJournal.open(dir);
    await j.append(start);
    await j.append({ t: 'roi-start', id: 0, dataset: '/d/r-roi-000', atMs: 2 }, false);
    await j.append({
      t: 'roi-end',
      id: 0,
      outcome: 'imaged',
      frames: 3,
      signals: [3, 2, 1],
      focus: null,
      driftNm: 5,
      driftConfidence: 1,
      exposureMsTotal: 30,
      thumbnail: null,
      startedAtMs: 2,
      atMs: 3,
    });
    await j.append({ t: 'roi-start', id: 1, dataset: '/d/r-roi-001', atMs: 4 });
    await j.close();
    appendFileSync(path.join(dir, 'journal.jsonl'), '{"t":"roi-end","id":1,"outc');
    const st = journalState(await readJournal(dir));
    expect([...st.finished.keys()]).toEqual([0]);
    expect(st.attempts.get(1)).toEqual(['/d/r-roi-001']);
    expect(st.centreUm).toEqual({ xUm: 1, yUm: 2 });
    expect(st.ended).toBeNull();
  });

  it('refuses a garbled line before the end and a missing journal, naming them', async () => {
    const dir = tempDir('aquila-journal-');
    writeFileSync(
      path.join(dir, 'journal.jsonl'),
      `${JSON.stringify(start)}\n{oops\n{"t":"resume","atMs":5}\n`,
    );
    await expect(readJournal(dir)).rejects.toThrow(/journal\.jsonl: line 2 is not valid JSON/);
    const empty = path.join(dir, 'none');
    mkdirSync(empty);
    await expect(readJournal(empty)).rejects.toThrow(
      /cannot resume from .*none: no readable journal\.jsonl \(ENOENT\)/,
    );
  });
});

describe('PNG thumbnails', () => {
  it('encodes greyscale rows a PNG reader can inflate back', () => {
    const grey = Uint8Array.from({ length: 6 * 4 }, (_, i) => i * 10);
    const png = encodeGreyPng(grey, 6, 4);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(6);
    expect(png.readUInt32BE(20)).toBe(4);
    expect([png[24], png[25]]).toEqual([8, 0]);
    const idatAt = png.indexOf('IDAT');
    const len = png.readUInt32BE(idatAt - 4);
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + len));
    expect(raw.length).toBe(4 * 7);
    for (let y = 0; y < 4; y++) {
      expect(raw[y * 7]).toBe(0); // filter: none
      expect([...raw.subarray(y * 7 + 1, y * 7 + 7)]).toEqual([...grey.subarray(y * 6, y * 6 + 6)]);
    }
    expect(png.toString('ascii', png.length - 8, png.length - 4)).toBe('IEND');
  });

  it('downsamples a 16-bit frame to at most maxSide and stretches it to 0–255', () => {
    const w = 64;
    const px = Uint16Array.from({ length: w * 32 }, (_, i) => 100 + (i % w) * 50);
    const png = thumbnailPng(px, w, 32, 16);
    expect(png.readUInt32BE(16)).toBe(16);
    expect(png.readUInt32BE(20)).toBe(8);
    const idatAt = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idatAt + 4, idatAt + 4 + png.readUInt32BE(idatAt - 4)));
    const row = [...raw.subarray(1, 17)];
    expect(row[0]).toBe(0);
    expect(row[15]).toBe(255);
    expect(row).toEqual([...row].sort((a, b) => a - b));
  });
});
