import { describe, expect, it } from 'vitest';
import {
  DisconnectedError,
  MoveInterruptedError,
  PositionUntrustedError,
} from '../../../drivers/errors';
import { MdaRunner } from '../../../electron/runner/mda-runner';
import type { MdaEvent } from '../../../electron/plans/events';
import type { RunState } from '../../../electron/runner/types';
import { deferred, FakeEngine, FakeSink, PRESETS, simpleEvents } from './fakes';

function setup(events: MdaEvent[] = simpleEvents(4)) {
  const engine = new FakeEngine();
  const sink = new FakeSink();
  const runner = new MdaRunner({
    events,
    engine,
    sink,
    presets: PRESETS,
    indexOf: (e) => ({ p: 0, t: e.index.t ?? 0, c: e.index.c ?? 0, z: e.index.z ?? 0 }),
  });
  const states: RunState[] = [];
  runner.subscribe((s) => {
    if (states.at(-1) !== s.state) states.push(s.state);
  });
  return { engine, sink, runner, states };
}

/** Polls until `cond` holds (max 2 s). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

function expectSafeEnd(engine: FakeEngine) {
  expect(engine.anyLaserOn()).toBe(false);
  expect(engine.restored()).toBe(true);
  const tail = engine.log.slice(engine.log.lastIndexOf('restore'));
  expect(tail).toEqual(['restore', 'lasersOff']);
}

describe('MdaRunner', () => {
  it('runs every event: setup from presets, frames written with index and channel, hardware restored', async () => {
    const events = simpleEvents(4);
    events[1]!.exposure = 7;
    const { engine, sink, runner, states } = setup(events);
    expect(runner.status().state).toBe('idle');
    const final = await runner.run();
    expect(states).toEqual(['running', 'finished']);
    expect(final).toMatchObject({
      state: 'finished',
      eventIndex: 4,
      eventTotal: 4,
      framesWritten: 4,
      etaS: 0,
    });
    expect(final.bytesWritten).toBe(4 * 12 * 2);
    expect(final.errors).toEqual([]);
    expect(engine.setups[0]).toEqual({
      xUm: 0,
      yUm: -5,
      zUm: 0,
      channel: { name: 'GFP', laserId: 'l488', powerMw: 10 },
      exposureMs: 30,
    });
    expect(engine.setups[1]!.exposureMs).toBe(7); // the event's exposure beats the preset's
    expect(sink.frames.map((f) => f.index)).toEqual([
      { p: 0, t: 0, c: 0, z: 0 },
      { p: 0, t: 0, c: 1, z: 0 },
      { p: 0, t: 0, c: 0, z: 1 },
      { p: 0, t: 0, c: 1, z: 1 },
    ]);
    expect(sink.frames[1]!.frame.meta.channel).toBe('mCherry');
    expect(sink.frames[1]!.frame.meta.lasersMw).toEqual({ l488: 0, l561: 20 });
    expect(new Uint16Array(sink.frames[2]!.frame.pixels)[0]).toBe(2);
    expect(sink.end).toEqual({ outcome: 'complete' });
    expect(final.summary?.framesWritten).toBe(4);
    // Lasers go off after every frame (no keep_shutter_open) and the run ends safely.
    expect(engine.log.filter((l) => l === 'acquire').length).toBe(4);
    expect(engine.log.slice(0, 4)).toEqual(['snapshot', 'setup', 'acquire', 'lasersOff']);
    expectSafeEnd(engine);
  });

  it('hands the camera a buffer from the sink for each frame and writes that buffer, uncopied', async () => {
    const engine = new FakeEngine();
    const handed: ArrayBuffer[] = [];
    const sink = Object.assign(new FakeSink(), {
      takeBuffer: () => {
        handed.push(new ArrayBuffer(4 * 3 * 2));
        return handed.at(-1)!;
      },
    });
    const runner = new MdaRunner({
      events: simpleEvents(3),
      engine,
      sink,
      presets: PRESETS,
      indexOf: (e) => ({ p: 0, t: 0, c: e.index.c ?? 0, z: e.index.z ?? 0 }),
    });
    await runner.run();
    expect(handed).toHaveLength(3);
    expect(engine.intoBuffers).toHaveLength(3);
    engine.intoBuffers.forEach((b, k) => expect(b).toBe(handed[k]));
    sink.frames.forEach((f, k) => {
      expect(f.frame.pixels).toBe(handed[k]);
      expect(new Uint16Array(f.frame.pixels)[0]).toBe(k);
    });
  });

  it('pauses at the next event boundary, holds there with lasers off, and resumes', async () => {
    const { engine, sink, runner, states } = setup();
    const hold = deferred();
    engine.onAcquire = (n) => (n === 1 ? hold.promise : undefined);
    const done = runner.run();
    await until(() => engine.acquisitions === 2);
    runner.pause();
    expect(runner.status()).toMatchObject({ state: 'running', pauseRequested: true });
    hold.resolve();
    await until(() => runner.status().state === 'paused');
    expect(sink.frames.length).toBe(2); // the event in progress completed
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.setups.length).toBe(2); // nothing new while paused
    expect(engine.anyLaserOn()).toBe(false);
    runner.resume();
    const final = await done;
    expect(states).toEqual(['running', 'paused', 'running', 'finished']);
    expect(final.framesWritten).toBe(4);
    expectSafeEnd(engine);
  });

  it('cancels at the next boundary: the current event completes, the rest is skipped, hardware restored', async () => {
    const { engine, sink, runner, states } = setup();
    const hold = deferred();
    engine.onAcquire = (n) => (n === 1 ? hold.promise : undefined);
    const done = runner.run();
    await until(() => engine.acquisitions === 2);
    runner.cancel();
    expect(runner.status().state).toBe('cancelling');
    hold.resolve();
    const final = await done;
    expect(states).toEqual(['running', 'cancelling', 'cancelled']);
    expect(final.framesWritten).toBe(2);
    expect(engine.acquisitions).toBe(2);
    expect(sink.end).toEqual({ outcome: 'cancelled', reason: 'cancelled by the operator' });
    expectSafeEnd(engine);
  });

  it('cancels while paused', async () => {
    const { engine, runner, states } = setup();
    const hold = deferred();
    engine.onAcquire = (n) => (n === 0 ? hold.promise : undefined);
    const done = runner.run();
    await until(() => engine.acquisitions === 1);
    runner.pause();
    hold.resolve();
    await until(() => runner.status().state === 'paused');
    runner.cancel();
    const final = await done;
    expect(states).toEqual(['running', 'paused', 'cancelling', 'cancelled']);
    expect(final.framesWritten).toBe(1);
    expectSafeEnd(engine);
  });

  it('records a failed event, skips it and carries on', async () => {
    const { engine, sink, runner } = setup();
    engine.failSetupAt.add(2);
    const final = await runner.run();
    expect(final.state).toBe('finished');
    expect(final.framesWritten).toBe(3);
    expect(final.errors).toHaveLength(1);
    expect(final.errors[0]).toMatchObject({
      eventIndex: 2,
      index: { t: 0, c: 0, z: 1 },
      error: { code: 'E_INTERNAL', message: 'stage timeout at setup 2' },
    });
    expect(sink.frames.map((f) => f.index.z)).toEqual([0, 0, 1]);
    expect(sink.end?.outcome).toBe('complete');
    expectSafeEnd(engine);
  });

  it.each([
    ['a lost stage', new MoveInterruptedError('Stage move', 'disconnect', null)],
    ['a vanished port', new DisconnectedError('stage: not connected')],
    ['an untrusted position', new PositionUntrustedError('stage', 'stage.confirmPosition')],
  ])('pauses on %s with lasers off, and retries that event on resume', async (_what, error) => {
    const { engine, sink, runner, states } = setup();
    engine.failSetupWith.set(2, error);
    const done = runner.run();
    await until(() => runner.status().state === 'paused');
    expect(engine.anyLaserOn()).toBe(false);
    expect(runner.status().errors).toEqual([
      expect.objectContaining({
        eventIndex: 2,
        error: expect.objectContaining({ code: error.code }),
      }),
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(engine.setups.length).toBe(3); // held on the failed event
    runner.resume();
    const final = await done;
    expect(states).toEqual(['running', 'paused', 'running', 'finished']);
    expect(final.framesWritten).toBe(4); // the event was retried, none skipped
    expect(sink.frames.map((f) => f.index.z)).toEqual([0, 0, 1, 1]);
    expectSafeEnd(engine);
  });

  it('fails when too many events in a row fail', async () => {
    const { engine, runner } = setup(simpleEvents(12));
    engine.failSetupAlways = true;
    const final = await runner.run();
    expect(final.state).toBe('failed');
    expect(final.errors).toHaveLength(10);
    expect(final.failure?.message).toMatch(/10 events in a row failed; last: stage timeout/);
    expectSafeEnd(engine);
  });

  it('stops as failed on a sink error (disk full), keeping what was written', async () => {
    const { engine, sink, runner } = setup();
    sink.failAt = 2;
    const final = await runner.run();
    expect(final.state).toBe('failed');
    expect(final.failure?.code).toBe('E_SINK');
    expect(final.failure?.message).toMatch(/writing frame 3 \(event 2\) failed: ENOSPC/);
    expect(final.failure?.message).toMatch(/the 2 frames written before are kept/);
    expect(engine.acquisitions).toBe(3); // nothing acquired after the failure
    expect(sink.frames).toHaveLength(2);
    expect(sink.end?.outcome).toBe('failed');
    expectSafeEnd(engine);
  });

  it('refuses autofocus events before touching the hardware', async () => {
    const events: MdaEvent[] = [
      {
        index: { p: 0 },
        x_pos: 1,
        action: {
          type: 'hardware_autofocus',
          autofocus_device_name: null,
          autofocus_motor_offset: null,
        },
      },
      { index: { p: 0 }, x_pos: 1 },
    ];
    const { engine, sink, runner } = setup(events);
    const final = await runner.run();
    expect(final.state).toBe('failed');
    expect(final.failure?.message).toMatch(/^autofocus is not available yet/);
    expect(engine.log).toEqual(['lasersOff', 'lasersOff']);
    expect(sink.end?.outcome).toBe('failed');
  });

  it('calls engine.autofocus for autofocus events when the engine has it', async () => {
    const events: MdaEvent[] = [
      {
        index: { p: 0 },
        x_pos: 1,
        action: {
          type: 'hardware_autofocus',
          autofocus_device_name: null,
          autofocus_motor_offset: null,
        },
      },
      { index: { p: 0 }, x_pos: 1 },
    ];
    const { engine, sink, runner } = setup(events);
    const seen: MdaEvent[] = [];
    engine.autofocus = async (e) => void seen.push(e);
    const final = await runner.run();
    expect(final.state).toBe('finished');
    expect(seen).toHaveLength(1);
    expect(sink.frames).toHaveLength(1);
  });

  it('keeps lasers on between keep_shutter_open events', async () => {
    const events = simpleEvents(2).map((e) => ({
      ...e,
      channel: { config: 'GFP', group: 'Channel' },
    }));
    events[0]!.keep_shutter_open = true;
    const { engine, runner } = setup(events);
    await runner.run();
    expect(engine.log.slice(0, 6)).toEqual([
      'snapshot',
      'setup',
      'acquire',
      'setup',
      'acquire',
      'lasersOff',
    ]);
    expectSafeEnd(engine);
  });

  it('waits for min_start_time, measured from the last reset_event_timer', async () => {
    const events: MdaEvent[] = [
      { index: { t: 0 }, min_start_time: 0, reset_event_timer: true },
      { index: { t: 1 }, min_start_time: 0.06 },
    ];
    const { engine, runner } = setup(events);
    const starts: number[] = [];
    engine.onAcquire = () => void starts.push(performance.now());
    await runner.run();
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(55);
  });

  it('interrupts a min_start_time wait on cancel', async () => {
    const events: MdaEvent[] = [
      { index: { t: 0 }, min_start_time: 0 },
      { index: { t: 1 }, min_start_time: 30 },
    ];
    const { engine, runner } = setup(events);
    const done = runner.run();
    await until(() => engine.acquisitions === 1);
    const t0 = performance.now();
    runner.cancel();
    const final = await done;
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(final.state).toBe('cancelled');
    expect(final.framesWritten).toBe(1);
  });

  it('pauses during a min_start_time wait; paused time does not count towards it', async () => {
    const events: MdaEvent[] = [
      { index: { t: 0 }, min_start_time: 0, reset_event_timer: true },
      { index: { t: 1 }, min_start_time: 0.2 },
    ];
    const { engine, runner, states } = setup(events);
    const starts: number[] = [];
    engine.onAcquire = () => void starts.push(performance.now());
    const done = runner.run();
    await until(() => engine.acquisitions === 1);
    runner.pause();
    await until(() => runner.status().state === 'paused');
    expect(performance.now() - starts[0]!).toBeLessThan(200); // the wait was interrupted
    await new Promise((r) => setTimeout(r, 150));
    runner.resume();
    await done;
    expect(states).toEqual(['running', 'paused', 'running', 'finished']);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(200 + 150 - 10);
  });

  it('fails the run when the hardware cannot be restored, lasers still off', async () => {
    const { engine, runner } = setup();
    engine.failRestore = true;
    const final = await runner.run();
    expect(final.state).toBe('failed');
    expect(final.failure?.message).toMatch(
      /restoring the hardware failed at the end of the run: stage jammed/,
    );
    expect(engine.anyLaserOn()).toBe(false);
    expect(engine.log.at(-1)).toBe('lasersOff');
  });

  it('reports progress, data rate and ETA while running; rejects invalid commands', async () => {
    const { engine, runner } = setup();
    expect(() => runner.pause()).toThrow(/cannot pause a run that is idle/);
    expect(() => runner.resume()).toThrow(/cannot resume/);
    const hold = deferred();
    engine.onAcquire = (n) => (n === 2 ? hold.promise : undefined);
    const done = runner.run();
    await until(() => engine.acquisitions === 3);
    const mid = runner.status();
    expect(mid).toMatchObject({ state: 'running', eventIndex: 2, framesWritten: 2 });
    expect(mid.etaS).toBeGreaterThanOrEqual(0);
    expect(mid.dataRateBytesPerS).toBeGreaterThan(0);
    hold.resolve();
    await done;
    await expect(runner.run()).rejects.toThrow(/cannot go from finished to running/);
    expect(() => runner.cancel()).toThrow(/cannot cancel a run that is finished/);
  });
});
