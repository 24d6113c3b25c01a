// FLImP-style run over a well plate: in each well autofocus, find ROIs, image each until it bleaches.
const P = {
  channel: 'GFP',
  rows: 1,
  cols: 2,
  pitchUm: 150,
  originXUm: -75,
  originYUm: 0,
  roisPerWell: 2,
  maxFrames: 3,
  /** Stop imaging an ROI when its mean falls below this fraction of the first frame's. */
  bleachedFraction: 0.5,
  ...aquila.params,
};

await aquila.channel.apply({ name: P.channel });
const wells = P.rows * P.cols;
let imaged = 0;
for (let w = 0; w < wells; w++) {
  const row = Math.floor(w / P.cols);
  const col = w % P.cols;
  const name = `${String.fromCharCode(65 + row)}${col + 1}`;
  await aquila.stage.moveTo({
    xUm: P.originXUm + col * P.pitchUm,
    yUm: P.originYUm + row * P.pitchUm,
  });
  try {
    await aquila.autofocus.run({ rangeUm: 6, toleranceUm: 0.5 });
  } catch (e) {
    aquila.warn(`well ${name}: no focus (${e.code}), skipped`);
    continue;
  }
  const found = await aquila.rois.find({ maxCount: P.roisPerWell });
  for (const roi of found.rois) {
    await aquila.stage.moveTo({ xUm: roi.xUm, yUm: roi.yUm });
    let first = null;
    let frames = 0;
    while (frames < P.maxFrames) {
      const f = await aquila.camera.snap();
      frames += 1;
      first ??= f.stats.mean;
      if (f.stats.mean < first * P.bleachedFraction) break;
    }
    imaged += 1;
    aquila.log(
      `well ${name}: ROI at (${roi.xUm.toFixed(1)}, ${roi.yUm.toFixed(1)}) µm, ${frames} frames`,
    );
  }
  aquila.progress((w + 1) / wells, `well ${name}: ${found.rois.length} ROIs`);
}
aquila.log(`${imaged} ROIs imaged in ${wells} wells`);
