/**
 * Draws the mosaic with three.js (WebGL2): one quad per visible cell of the level that
 * matches the zoom, its R16UI texture fetched exactly (texelFetch) and mapped through the
 * live view's display window, gamma and colour-map table (display/lut.ts, colormaps.ts) —
 * the same formula as the live view's shader. Several channels add up, each tinted with its
 * colour. Textures live in a TextureBudget; a cell whose data changed is re-uploaded.
 */
import {
  AdditiveBlending,
  BufferAttribute,
  BufferGeometry,
  DataTexture,
  DoubleSide,
  GLSL3,
  Mesh,
  NearestFilter,
  OrthographicCamera,
  RawShaderMaterial,
  RedIntegerFormat,
  RGBAFormat,
  Scene,
  UnsignedByteType,
  UnsignedShortType,
  Vector2,
  Vector3,
  WebGLRenderer,
} from 'three';
import { colormapTable, LUT_SIZE, type ColormapName } from '../display/colormaps';
import { BACKGROUND_RGB } from '../display/frame-renderer';
import type { DisplayWindow } from '../display/lut';
import { visibleRect, type MapView } from './map-view';
import {
  CELL_TEXELS,
  cellUm,
  levelFor,
  type MosaicCell,
  type MosaicPyramid,
} from './mosaic-pyramid';
import { TextureBudget, type BudgetStats } from './texture-budget';

export const CELL_TEXTURE_BYTES = CELL_TEXELS * CELL_TEXELS * 2;

const vertexShader = /* glsl */ `
in vec3 position;
uniform mat4 modelViewMatrix;
uniform mat4 projectionMatrix;
out vec2 vCell;
void main() {
  vCell = position.xy;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

const fragmentShader = /* glsl */ `
precision highp float;
precision highp int;
precision highp usampler2D;
uniform usampler2D uCell;
uniform sampler2D uLut;
uniform float uMin;
uniform float uMax;
uniform float uGamma;
uniform vec3 uTint;
in vec2 vCell;
out vec4 outColor;
void main() {
  ivec2 t = clamp(ivec2(vCell * ${CELL_TEXELS}.0), ivec2(0), ivec2(${CELL_TEXELS - 1}));
  uint raw = texelFetch(uCell, t, 0).r;
  if (raw == 0u) discard;
  float v = float(raw - 1u);
  float k = pow(clamp((v - uMin) / max(uMax - uMin, 1e-6), 0.0, 1.0), uGamma);
  int index = int(round(k * ${LUT_SIZE - 1}.0));
  outColor = vec4(texelFetch(uLut, ivec2(index, 0), 0).rgb * uTint, 1.0);
}
`;

export interface MosaicRenderParams {
  view: MapView;
  window: DisplayWindow;
  colormap: ColormapName;
  /** Channel → tint (RGB 0..1); a single channel is drawn untinted through the colour map. */
  tints: ReadonlyMap<string, readonly [number, number, number]>;
  dpr: number;
}

export class MosaicRenderer {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new OrthographicCamera(0, 1, 0, 1, -1, 1);
  private readonly quad = new BufferGeometry();
  private readonly lut: DataTexture;
  private readonly pool: Mesh<BufferGeometry, RawShaderMaterial>[] = [];
  private readonly textures: TextureBudget<DataTexture>;
  private colormap: ColormapName | null = null;
  /** Cells drawn in the last render. */
  drawnCells = 0;
  level = 0;

  constructor(canvas: HTMLCanvasElement, budgetBytes: number) {
    this.renderer = new WebGLRenderer({ canvas, antialias: false, powerPreference: 'low-power' });
    this.renderer.setClearColor(
      (Math.round(BACKGROUND_RGB[0] * 255) << 16) |
        (Math.round(BACKGROUND_RGB[1] * 255) << 8) |
        Math.round(BACKGROUND_RGB[2] * 255),
      1,
    );
    this.lut = new DataTexture(
      new Uint8Array(LUT_SIZE * 4),
      LUT_SIZE,
      1,
      RGBAFormat,
      UnsignedByteType,
    );
    this.lut.minFilter = NearestFilter;
    this.lut.magFilter = NearestFilter;
    this.quad.setAttribute(
      'position',
      new BufferAttribute(new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]), 3),
    );
    this.quad.setIndex([0, 1, 2, 0, 2, 3]);
    this.textures = new TextureBudget<DataTexture>(
      budgetBytes,
      () => {
        const tex = new DataTexture(
          new Uint16Array(CELL_TEXELS * CELL_TEXELS),
          CELL_TEXELS,
          CELL_TEXELS,
          RedIntegerFormat,
          UnsignedShortType,
        );
        tex.internalFormat = 'R16UI';
        tex.minFilter = NearestFilter;
        tex.magFilter = NearestFilter;
        tex.generateMipmaps = false;
        tex.flipY = false;
        tex.unpackAlignment = 2;
        return tex;
      },
      (tex) => tex.dispose(),
    );
  }

  budget(): BudgetStats {
    return this.textures.stats();
  }

  /** Forget a cleared mosaic's textures. */
  clear(): void {
    this.textures.clear();
  }

  render(mosaic: MosaicPyramid, p: MosaicRenderParams): void {
    const v = p.view;
    const w = Math.max(1, Math.round(v.widthPx * p.dpr));
    const h = Math.max(1, Math.round(v.heightPx * p.dpr));
    const size = this.renderer.getDrawingBufferSize(new Vector2());
    if (size.x !== w || size.y !== h) {
      this.renderer.setPixelRatio(1);
      this.renderer.setSize(w, h, false);
    }
    if (this.colormap !== p.colormap) {
      (this.lut.image.data as Uint8Array).set(colormapTable(p.colormap));
      this.lut.needsUpdate = true;
      this.colormap = p.colormap;
    }
    const r = visibleRect(v);
    Object.assign(this.camera, { left: r.x0, right: r.x1, top: r.y0, bottom: r.y1 });
    this.camera.updateProjectionMatrix();
    this.level = levelFor(v.umPerPx / p.dpr);
    const cells = mosaic.cellsIn(this.level, r);
    this.textures.beginFrame();
    let n = 0;
    for (const cell of cells) {
      const entry = this.textures.use(cell.key, CELL_TEXTURE_BYTES);
      if (!entry) continue;
      if (entry.version !== cell.version) {
        entry.resource.image.data = cell.data;
        entry.resource.needsUpdate = true;
        entry.version = cell.version;
      }
      this.place(this.mesh(n++), cell, entry.resource, p);
    }
    for (let i = 0; i < this.pool.length; i++) this.pool[i]!.visible = i < n;
    this.drawnCells = n;
    this.renderer.render(this.scene, this.camera);
  }

  dispose(): void {
    this.textures.clear();
    for (const m of this.pool) m.material.dispose();
    this.quad.dispose();
    this.lut.dispose();
    this.renderer.dispose();
  }

  private place(
    mesh: Mesh<BufferGeometry, RawShaderMaterial>,
    cell: MosaicCell,
    tex: DataTexture,
    p: MosaicRenderParams,
  ): void {
    const s = cellUm(cell.level);
    mesh.position.set(cell.ix * s, cell.iy * s, 0);
    mesh.scale.set(s, s, 1);
    const u = mesh.material.uniforms;
    u.uCell!.value = tex;
    u.uMin!.value = p.window.min;
    u.uMax!.value = p.window.max;
    u.uGamma!.value = p.window.gamma;
    const tint = p.tints.size > 1 ? (p.tints.get(cell.channel) ?? [1, 1, 1]) : [1, 1, 1];
    (u.uTint!.value as Vector3).set(tint[0]!, tint[1]!, tint[2]!);
  }

  private mesh(i: number): Mesh<BufferGeometry, RawShaderMaterial> {
    let m = this.pool[i];
    if (!m) {
      const material = new RawShaderMaterial({
        glslVersion: GLSL3,
        vertexShader,
        fragmentShader,
        side: DoubleSide,
        transparent: true,
        blending: AdditiveBlending,
        depthTest: false,
        depthWrite: false,
        uniforms: {
          uCell: { value: null },
          uLut: { value: this.lut },
          uMin: { value: 0 },
          uMax: { value: 1 },
          uGamma: { value: 1 },
          uTint: { value: new Vector3(1, 1, 1) },
        },
      });
      m = new Mesh(this.quad, material);
      m.frustumCulled = false;
      this.pool.push(m);
      this.scene.add(m);
    }
    return m;
  }
}
