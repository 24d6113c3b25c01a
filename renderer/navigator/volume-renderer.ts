/**
 * The 3D view (three.js, WebGL2): a z-stack (z-volume.ts) as an R16UI `Data3DTexture`
 * ray-marched as a maximum-intensity projection, mapped through the live view's display
 * window, gamma and colour map (shadeGlsl); optionally the autofocus focus map as a surface
 * (focus-surface.ts) in its own scene. Orthographic camera orbiting the box.
 *
 * World axes: x = stage +X, y = stage −Y, z = focus +Z (up), so the top view (elevation 90°)
 * shows the stage as the map does (+X right, +Y down) and the front view (elevation 0°,
 * azimuth 0°) has +X right and +Z up. The box is scaled so its larger XY side is 1; z is
 * stretched (`zScale` ≥ 1) when the stack is thinner than a quarter of that.
 */
import {
  BackSide,
  BoxGeometry,
  Data3DTexture,
  EdgesGeometry,
  GLSL3,
  LineBasicMaterial,
  LineSegments,
  Mesh,
  NearestFilter,
  OrthographicCamera,
  RawShaderMaterial,
  RedIntegerFormat,
  Scene,
  UnsignedShortType,
  Vector3,
  type Object3D,
  type WebGLRenderer,
} from 'three';
import type { ColormapName } from '../display/colormaps';
import { BACKGROUND_RGB } from '../display/frame-renderer';
import { createGlRenderer, fitDrawingBuffer, LutTexture } from '../display/gl-textures';
import type { DisplayWindow } from '../display/lut';
import { shadeGlsl } from './mosaic-shaders';
import type { ZVolume } from './z-volume';

/** Most samples along a ray; a ray takes two per voxel of the box's diagonal, up to this. */
const MAX_RAY_STEPS = 256;
/** The thinnest the box is drawn, as a fraction of its larger XY side. */
const MIN_Z_FRACTION = 0.25;

const vertexShader = /* glsl */ `
in vec3 position;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
out vec3 vPos;
void main() {
  vPos = position;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

// Drawn on back faces: vPos is where the ray leaves the unit box; march back to its entry.
const fragmentShader = /* glsl */ `
precision highp float;
precision highp int;
precision highp usampler3D;
uniform usampler3D uVolume;
uniform ivec3 uSize;
uniform vec3 uDir;
uniform int uSteps;
${shadeGlsl}
in vec3 vPos;
out vec4 outColor;
void main() {
  float tMax = 1e9;
  for (int a = 0; a < 3; a++) {
    float d = uDir[a];
    if (d > 1e-6) tMax = min(tMax, (vPos[a] + 0.5) / d);
    else if (d < -1e-6) tMax = min(tMax, (vPos[a] - 0.5) / d);
  }
  tMax = max(tMax, 0.0);
  uint m = 0u;
  float last = float(uSteps - 1);
  for (int s = 0; s < ${MAX_RAY_STEPS}; s++) {
    if (s >= uSteps) break;
    vec3 p = vPos - uDir * (tMax * float(s) / last);
    // Model x → voxel i (stage +X), model y → voxel j reversed (stage +Y is world −y), z → plane.
    vec3 uvw = vec3(p.x + 0.5, 0.5 - p.y, p.z + 0.5);
    ivec3 v = clamp(ivec3(floor(uvw * vec3(uSize))), ivec3(0), uSize - 1);
    m = max(m, texelFetch(uVolume, v, 0).r);
  }
  outColor = vec4(shade(float(m)), 1.0);
}
`;

export interface VolumeAngles {
  /** Turn about +Z, degrees; 0: the front view, from the stage's +Y side. */
  azimuthDeg: number;
  /** Above the XY plane, degrees; 90: top view. */
  elevationDeg: number;
}

export interface VolumeRenderParams {
  angles: VolumeAngles;
  window: DisplayWindow;
  colormap: ColormapName;
  widthPx: number;
  heightPx: number;
  dpr: number;
}

/** Unit vectors of a view: toward the camera, screen right and screen up (world axes). */
export function viewBasis(a: VolumeAngles): { toward: Vector3; right: Vector3; up: Vector3 } {
  const az = (a.azimuthDeg * Math.PI) / 180;
  const el = (a.elevationDeg * Math.PI) / 180;
  const toward = new Vector3(
    Math.cos(el) * Math.sin(az),
    -Math.cos(el) * Math.cos(az),
    Math.sin(el),
  );
  const up = new Vector3(-Math.sin(el) * Math.sin(az), Math.sin(el) * Math.cos(az), Math.cos(el));
  const right = new Vector3().crossVectors(up, toward);
  return { toward, right, up };
}

export class VolumeRenderer {
  private readonly renderer: WebGLRenderer;
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, 0.01, 100);
  private readonly volumeScene = new Scene();
  private readonly lut = new LutTexture();
  private readonly box = new BoxGeometry(1, 1, 1);
  private readonly material: RawShaderMaterial;
  private readonly mesh: Mesh<BoxGeometry, RawShaderMaterial>;
  private readonly outline: LineSegments;
  private texture: Data3DTexture | null = null;
  private shown: ZVolume | null = null;
  /** World size of the box drawn and screen px per world unit of the last render. */
  dims = new Vector3(1, 1, 1);
  zScale = 1;
  pxPerUnit = 1;

  constructor(canvas: HTMLCanvasElement) {
    this.renderer = createGlRenderer(canvas);
    this.renderer.setClearColor(
      (Math.round(BACKGROUND_RGB[0] * 255) << 16) |
        (Math.round(BACKGROUND_RGB[1] * 255) << 8) |
        Math.round(BACKGROUND_RGB[2] * 255),
      1,
    );
    this.material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader,
      fragmentShader,
      side: BackSide,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        uVolume: { value: null },
        uSize: { value: [1, 1, 1] },
        uDir: { value: new Vector3(0, 0, -1) },
        uSteps: { value: 2 },
        uLut: { value: this.lut.texture },
        uMin: { value: 0 },
        uMax: { value: 1 },
        uGamma: { value: 1 },
      },
    });
    this.mesh = new Mesh(this.box, this.material);
    this.mesh.frustumCulled = false;
    this.outline = new LineSegments(
      new EdgesGeometry(this.box),
      new LineBasicMaterial({ color: 0x8899aa }),
    );
    this.outline.renderOrder = 1;
    this.volumeScene.add(this.mesh, this.outline);
  }

  /** Uploads a volume (a no-op when it is the one shown). */
  setVolume(v: ZVolume): void {
    if (this.shown === v) return;
    this.shown = v;
    this.texture?.dispose();
    const t = new Data3DTexture(v.data, v.size, v.size, v.depth);
    t.format = RedIntegerFormat;
    t.type = UnsignedShortType;
    t.internalFormat = 'R16UI';
    t.minFilter = NearestFilter;
    t.magFilter = NearestFilter;
    t.generateMipmaps = false;
    t.unpackAlignment = 2;
    t.needsUpdate = true;
    this.texture = t;
    this.material.uniforms.uVolume!.value = t;
    this.material.uniforms.uSize!.value = [v.size, v.size, v.depth];
    const diagonal = Math.hypot(v.size, v.size, v.depth);
    this.material.uniforms.uSteps!.value = Math.min(MAX_RAY_STEPS, Math.ceil(2 * diagonal) + 1);
    const s = 1 / Math.max(v.extent.x, v.extent.y);
    const z = v.extent.z * s;
    this.zScale = z > 0 && z < MIN_Z_FRACTION ? MIN_Z_FRACTION / z : 1;
    this.dims.set(v.extent.x * s, v.extent.y * s, z * this.zScale);
    this.mesh.scale.copy(this.dims);
    this.outline.scale.copy(this.dims);
  }

  /** Draws the volume, or `scene` (in the same world axes) when given. */
  render(p: VolumeRenderParams, scene?: Object3D): void {
    const w = Math.max(1, Math.round(p.widthPx * p.dpr));
    const h = Math.max(1, Math.round(p.heightPx * p.dpr));
    fitDrawingBuffer(this.renderer, w, h);
    const radius = 0.5 * (scene ? Math.sqrt(3) : this.dims.length()) * 1.05;
    const { toward, up } = viewBasis(p.angles);
    const aspect = w / h;
    const halfH = aspect >= 1 ? radius : radius / aspect;
    Object.assign(this.camera, {
      left: -halfH * aspect,
      right: halfH * aspect,
      top: halfH,
      bottom: -halfH,
      near: 0.01,
      far: radius * 8,
    });
    this.camera.position.copy(toward).multiplyScalar(radius * 4);
    this.camera.up.copy(up);
    this.camera.lookAt(0, 0, 0);
    this.camera.updateProjectionMatrix();
    this.pxPerUnit = h / (2 * halfH);
    if (scene) {
      this.renderer.render(scene, this.camera);
      return;
    }
    if (!this.texture) return;
    this.lut.use(p.colormap);
    const u = this.material.uniforms;
    u.uMin!.value = p.window.min;
    u.uMax!.value = p.window.max;
    u.uGamma!.value = p.window.gamma;
    // The ray in model units: the camera's forward direction through the box's scale.
    (u.uDir!.value as Vector3)
      .set(-toward.x / this.dims.x, -toward.y / this.dims.y, -toward.z / this.dims.z)
      .normalize();
    this.renderer.render(this.volumeScene, this.camera);
  }

  /** The whole drawing buffer of the last render (RGBA, bottom row first), in its task. */
  readAll(): { rgba: Uint8Array; width: number; height: number } {
    const gl = this.renderer.getContext();
    const width = gl.drawingBufferWidth;
    const height = gl.drawingBufferHeight;
    const rgba = new Uint8Array(width * height * 4);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, rgba);
    return { rgba, width, height };
  }

  dispose(): void {
    this.texture?.dispose();
    this.material.dispose();
    this.box.dispose();
    this.outline.geometry.dispose();
    (this.outline.material as LineBasicMaterial).dispose();
    this.lut.dispose();
    this.renderer.dispose();
  }
}

/**
 * Centroid (buffer px, x right, y down) of the pixels of a bottom-row-first RGBA buffer at
 * least `fraction` as bright (R+G+B) as the brightest one.
 */
export function brightSpot(
  rgba: Uint8Array,
  width: number,
  height: number,
  fraction: number,
): { x: number; y: number; brightness: number; pixels: number } {
  let max = 0;
  for (let i = 0; i < width * height; i++) {
    max = Math.max(max, rgba[i * 4]! + rgba[i * 4 + 1]! + rgba[i * 4 + 2]!);
  }
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let row = 0; row < height; row++) {
    for (let x = 0; x < width; x++) {
      const i = (row * width + x) * 4;
      if (rgba[i]! + rgba[i + 1]! + rgba[i + 2]! < fraction * max) continue;
      sx += x + 0.5;
      sy += height - row - 0.5;
      n++;
    }
  }
  return { x: sx / n, y: sy / n, brightness: max, pixels: n };
}
