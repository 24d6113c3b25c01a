import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../../electron/cli/commands/cameras';
import {
  ARAVIS_FAKE_START_TIMEOUT_MS,
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../../../support/aravis-fake';

function capture() {
  const out: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l) }, out };
}

describe('aquila cameras', () => {
  it('refuses bad arguments with the usage', async () => {
    await expect(command.run(['--address', 'cam.local'], capture().io)).rejects.toThrow(
      /--address: "cam.local" is not an IPv4 address; usage: aquila cameras/,
    );
    await expect(command.run(['extra'], capture().io)).rejects.toThrow(
      /unexpected argument "extra"/,
    );
    await expect(command.run(['--interface', 'nope0'], capture().io)).rejects.toThrow(
      /network interface "nope0" has no IPv4 address/,
    );
  });

  it('says so when nothing answers', async () => {
    const c = capture();
    expect(await command.run(['--address', '127.0.0.3', '--window', '100'], c.io)).toBe(0);
    expect(c.out).toEqual(['No GigE Vision camera answered (asked 127.0.0.3).']);
  });

  describe.skipIf(!aravisFakeAvailable())('with Aravis fake camera', () => {
    let fake: AravisFake;
    beforeAll(async () => {
      fake = await startAravisFake({ serial: 'CLI7' });
    }, ARAVIS_FAKE_START_TIMEOUT_MS);
    afterAll(async () => {
      await fake?.stop();
    });

    it('lists it with identity, also as JSON', async () => {
      const c = capture();
      expect(await command.run(['--address', '127.0.0.1'], c.io)).toBe(0);
      expect(c.out).toHaveLength(1);
      expect(c.out[0]).toMatch(
        /^gige-vision {2}127\.0\.0\.1 {2}Aravis Fake {2}serial CLI7 {2}firmware 0\.8\.\d+/,
      );
      const j = capture();
      expect(await command.run(['--json', '--address', '127.0.0.1'], j.io)).toBe(0);
      expect(JSON.parse(j.out.join('\n'))).toMatchObject({
        gige: [{ ip: '127.0.0.1', model: 'Fake', serial: 'CLI7' }],
        asked: ['127.0.0.1'],
      });
    });
  });
});
