// Z-stack at every ROI found: search a few fields for cells, then one MDA run over their positions.
const P = {
  channel: 'GFP',
  maxRois: 3,
  fields: 4,
  fieldStepUm: 60,
  rangeUm: 2,
  stepUm: 1,
  exposureMs: 5,
  ...aquila.params,
};

await aquila.channel.apply({ name: P.channel });
const start = await aquila.stage.position();
const positions = [];
for (let i = 0; i < P.fields && positions.length < P.maxRois; i++) {
  // fields along a line from the start position
  await aquila.stage.moveTo({ xUm: start.xUm + i * P.fieldStepUm, yUm: start.yUm });
  const found = await aquila.rois.find({ maxCount: P.maxRois - positions.length });
  aquila.log(`field ${i + 1}: ${found.rois.length} ROIs`);
  for (const r of found.rois) positions.push({ x: r.xUm, y: r.yUm, z: start.zUm ?? 0 });
  aquila.progress((i + 1) / (P.fields + 1), `searching: ${positions.length} ROIs`);
}

if (positions.length === 0) {
  aquila.log('no ROIs found: nothing to image');
} else {
  const plan = {
    stage_positions: positions,
    z_plan: { range: P.rangeUm, step: P.stepUm },
    channels: [{ config: P.channel, exposure: P.exposureMs }],
  };
  const run = await aquila.run.start({ plan });
  aquila.log(`z-stacks at ${positions.length} ROIs: ${run.eventTotal} events`);
  const end = await aquila.wait('run');
  if (end.state !== 'finished') throw new Error(`the run ended ${end.state}`);
  aquila.log(`${end.framesWritten} frames written`);
}
aquila.progress(1, 'done');
