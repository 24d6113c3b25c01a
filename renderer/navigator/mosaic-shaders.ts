/**
 * The mosaic's GLSL 3 shaders. A quad spans one cell (position 0..1 in cell units); the
 * fragment fetches the raw R16UI texel of each of the cell's COUNT channels (a define, one
 * program per count), maps value − 1 through the display window and gamma (display/lut.ts's
 * formula, as the live view's shader) and the 256-entry colour-map table, tints and adds the
 * channels, and discards texels no frame has written (stored 0).
 */
import { LUT_SIZE } from '../display/colormaps';
import { CELL_TEXELS } from './mosaic-pyramid';

export const vertexShader = /* glsl */ `
in vec3 position;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
out vec2 vCell;
void main() {
  vCell = position.xy;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

/**
 * A raw value → RGB through the live view's display window, gamma (display/lut.ts's formula)
 * and the LUT_SIZE-entry colour-map table; declares its uniforms (the volume view uses it too).
 */
export const shadeGlsl = /* glsl */ `
uniform sampler2D uLut;
uniform float uMin;
uniform float uMax;
uniform float uGamma;
vec3 shade(float v) {
  float k = clamp((v - uMin) / max(uMax - uMin, 1e-6), 0.0, 1.0);
  if (uGamma != 1.0) k = pow(k, uGamma);
  return texelFetch(uLut, ivec2(int(round(k * ${LUT_SIZE - 1}.0)), 0), 0).rgb;
}
`;

/** Channels of one cell drawn in one pass (more take further, additive passes). */
export const CHANNELS_PER_PASS = 4;

const channelTerms = Array.from(
  { length: CHANNELS_PER_PASS },
  (_, i) => `
#if COUNT > ${i}
  {
    uint raw = texelFetch(uCell${i}, t, 0).r;
    if (raw != 0u) { any = true; rgb += shade(float(raw - 1u)) * uTint[${i}]; }
  }
#endif`,
).join('');

export const fragmentShader = /* glsl */ `
precision highp float;
precision highp int;
precision highp usampler2D;
${Array.from({ length: CHANNELS_PER_PASS }, (_, i) => `uniform usampler2D uCell${i};`).join('\n')}
uniform vec3 uTint[${CHANNELS_PER_PASS}];
in vec2 vCell;
out vec4 outColor;
${shadeGlsl}
void main() {
  ivec2 t = clamp(ivec2(vCell * ${CELL_TEXELS}.0), ivec2(0), ivec2(${CELL_TEXELS - 1}));
  vec3 rgb = vec3(0.0);
  bool any = false;${channelTerms}
  if (!any) discard;
  outColor = vec4(rgb, 1.0);
}
`;
