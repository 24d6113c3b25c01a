/**
 * GPU renderer: a full-screen triangle whose fragment shader maps each screen pixel to
 * an image pixel (zoom/pan), fetches the raw uint16 from an R16UI texture (`texelFetch`,
 * no filtering, exact values; lut8 frames come as R8UI, one byte per pixel), applies the
 * window/gamma (same formula as `lut.ts`) and looks the result up in a 256-entry colour map.
 * The texture object is reused while the frame size and pixel type are unchanged, so each
 * frame is one texSubImage2D upload.
 */
import {
  BufferAttribute,
  BufferGeometry,
  GLSL3,
  Mesh,
  OrthographicCamera,
  RawShaderMaterial,
  Scene,
  Vector2,
  Vector3,
  type DataTexture,
  type WebGLRenderer,
} from 'three';
import { LUT_SIZE } from './colormaps';
import {
  BACKGROUND_RGB,
  HILO_HIGH_RGB,
  HILO_LOW_RGB,
  type FrameRenderer,
  type RenderParams,
} from './frame-renderer';
import { createGlRenderer, fitDrawingBuffer, LutTexture, uintTexture } from './gl-textures';

const vertexShader = /* glsl */ `
in vec3 position;
void main() { gl_Position = vec4(position.xy, 0.0, 1.0); }
`;

const fragmentShader = /* glsl */ `
precision highp float;
precision highp int;
precision highp usampler2D;
uniform usampler2D uImage;
uniform sampler2D uLut;
uniform vec2 uImageSize;
uniform vec2 uOffset;
uniform float uScale;
uniform float uCanvasHeight;
uniform float uMin;
uniform float uMax;
uniform float uGamma;
uniform bool uHilo;
uniform vec3 uBackground;
uniform vec3 uLow;
uniform vec3 uHigh;
out vec4 outColor;
void main() {
  vec2 screen = vec2(gl_FragCoord.x, uCanvasHeight - gl_FragCoord.y);
  vec2 img = (screen - uOffset) / uScale;
  if (img.x < 0.0 || img.y < 0.0 || img.x >= uImageSize.x || img.y >= uImageSize.y) {
    outColor = vec4(uBackground, 1.0);
    return;
  }
  float v = float(texelFetch(uImage, ivec2(img), 0).r);
  if (uHilo && v <= uMin) { outColor = vec4(uLow, 1.0); return; }
  if (uHilo && v >= uMax) { outColor = vec4(uHigh, 1.0); return; }
  float t = pow(clamp((v - uMin) / max(uMax - uMin, 1e-6), 0.0, 1.0), uGamma);
  int index = int(round(t * ${LUT_SIZE - 1}.0));
  outColor = vec4(texelFetch(uLut, ivec2(index, 0), 0).rgb, 1.0);
}
`;

let webgl2Probe: boolean | null = null;

/** Probed once on a throwaway canvas (a canvas keeps the first context type it gets). */
export function webgl2Available(): boolean {
  if (webgl2Probe === null) {
    try {
      const gl = document.createElement('canvas').getContext('webgl2');
      webgl2Probe = gl !== null;
      gl?.getExtension('WEBGL_lose_context')?.loseContext();
    } catch {
      webgl2Probe = false;
    }
  }
  return webgl2Probe;
}

export class WebglRenderer implements FrameRenderer {
  readonly kind = 'webgl2' as const;
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly material: RawShaderMaterial;
  private readonly geometry = new BufferGeometry();
  private readonly lut = new LutTexture();
  private image: DataTexture | null = null;

  /** The canvas must not already have a context (check with a separate probe canvas). */
  constructor(canvas: HTMLCanvasElement) {
    this.renderer = createGlRenderer(canvas);
    this.renderer.autoClear = false;
    this.material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader,
      fragmentShader,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        uImage: { value: null },
        uLut: { value: this.lut.texture },
        uImageSize: { value: new Vector2(1, 1) },
        uOffset: { value: new Vector2(0, 0) },
        uScale: { value: 1 },
        uCanvasHeight: { value: 1 },
        uMin: { value: 0 },
        uMax: { value: 1 },
        uGamma: { value: 1 },
        uHilo: { value: false },
        uBackground: { value: new Vector3(...BACKGROUND_RGB) },
        uLow: { value: new Vector3(...HILO_LOW_RGB) },
        uHigh: { value: new Vector3(...HILO_HIGH_RGB) },
      },
    });
    this.geometry.setAttribute(
      'position',
      new BufferAttribute(new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), 3),
    );
    const mesh = new Mesh(this.geometry, this.material);
    mesh.frustumCulled = false;
    this.scene.add(mesh);
  }

  upload(pixels: Uint16Array | Uint8Array, widthPx: number, heightPx: number): void {
    let tex = this.image;
    const sameType = tex?.image.data?.constructor === pixels.constructor;
    if (!tex || !sameType || tex.image.width !== widthPx || tex.image.height !== heightPx) {
      tex?.dispose();
      tex = uintTexture(pixels, widthPx, heightPx);
      this.image = tex;
      this.material.uniforms.uImage!.value = tex;
      (this.material.uniforms.uImageSize!.value as Vector2).set(widthPx, heightPx);
    } else {
      tex.image.data = pixels;
    }
    tex.needsUpdate = true;
  }

  render(p: RenderParams): void {
    const w = Math.max(1, Math.round(p.cssWidth * p.dpr));
    const h = Math.max(1, Math.round(p.cssHeight * p.dpr));
    fitDrawingBuffer(this.renderer, w, h);
    this.lut.use(p.colormap);
    const u = this.material.uniforms;
    (u.uOffset!.value as Vector2).set(p.view.offsetX * p.dpr, p.view.offsetY * p.dpr);
    u.uScale!.value = p.view.scale * p.dpr;
    u.uCanvasHeight!.value = h;
    u.uMin!.value = p.window.min;
    u.uMax!.value = p.window.max;
    u.uGamma!.value = p.window.gamma;
    u.uHilo!.value = p.colormap === 'hilo';
    this.renderer.setClearColor(0x000000, 1);
    this.renderer.clear();
    if (this.image) this.renderer.render(this.scene, this.camera);
  }

  dispose(): void {
    this.image?.dispose();
    this.lut.dispose();
    this.material.dispose();
    this.geometry.dispose();
    this.renderer.dispose();
  }
}
