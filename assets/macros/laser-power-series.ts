// Laser power series with autofocus between steps: mean intensity per power setpoint.
interface Params {
  channel: string;
  powersMw: string;
  settleMs: number;
  autofocus: boolean;
}
const P: Params = {
  channel: 'GFP',
  powersMw: '5,10,20',
  settleMs: 200,
  autofocus: true,
  ...aquila.params,
};

const state = await aquila.state();
const preset = state.channels.find((c: { name: string }) => c.name === P.channel);
if (!preset) throw new Error(`no channel preset ${P.channel}`);
await aquila.channel.apply({ name: P.channel });

const powers = String(P.powersMw).split(',').map(Number);
const series: { powerMw: number; mean: number }[] = [];
for (const [i, powerMw] of powers.entries()) {
  if (P.autofocus) {
    try {
      const af = await aquila.autofocus.run({ rangeUm: 6, toleranceUm: 0.5 });
      aquila.log(`autofocus: z ${af.zUm.toFixed(2)} µm`);
    } catch (e) {
      aquila.warn(`autofocus failed (${(e as { code?: string }).code}); keeping z`);
    }
  }
  await aquila.laser.setPower({ laserId: preset.laserId, powerMw });
  await aquila.sleep(P.settleMs);
  const frame = await aquila.camera.snap();
  series.push({ powerMw, mean: frame.stats.mean });
  aquila.log(`${powerMw} mW: mean ${frame.stats.mean.toFixed(1)}`);
  aquila.progress((i + 1) / powers.length, `${powerMw} mW`);
}
aquila.log(JSON.stringify(series));
