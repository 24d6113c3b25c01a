/**
 * Draws the mosaic with three.js (WebGL2): one quad per visible cell of the level that
 * matches the zoom, its R16UI texture fetched exactly (texelFetch) and mapped through the
 * live view's display window, gamma and colour-map table (display/lut.ts, colormaps.ts) —
 * the same formula as the live view's shader. Several channels add up, each tinted with its
 * colour, up to CHANNELS_PER_PASS of them in one draw. Textures live in a TextureBudget; a cell whose data changed is re-uploaded.
 */
import {
  AdditiveBlending,
  BufferAttribute,
  BufferGeometry,
  DoubleSide,
  GLSL3,
  Mesh,
  NoBlending,
  OrthographicCamera,
  RawShaderMaterial,
  Scene,
  Vector3,
  type DataTexture,
  type WebGLRenderer,
} from 'three';
import type { ColormapName } from '../display/colormaps';
import { BACKGROUND_RGB } from '../display/frame-renderer';
import {
  createGlRenderer,
  fitDrawingBuffer,
  LutTexture,
  r16uiTexture,
} from '../display/gl-textures';
import type { DisplayWindow } from '../display/lut';
import { visibleRect, type MapView } from './map-view';
import {
  CELL_BYTES,
  CELL_TEXELS,
  cellUm,
  levelFor,
  type MosaicCell,
  type MosaicPyramid,
} from './mosaic-pyramid';
import { CHANNELS_PER_PASS, fragmentShader, vertexShader } from './mosaic-shaders';
import { TextureBudget, type BudgetStats } from './texture-budget';

const WHITE = [1, 1, 1] as const;

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
  private readonly lut = new LutTexture();
  private readonly pool: Mesh<BufferGeometry, RawShaderMaterial>[] = [];
  private readonly textures: TextureBudget<DataTexture>;
  /** Cells drawn in the last render, and the draw calls they took. */
  drawnCells = 0;
  passes = 0;
  level = 0;

  constructor(canvas: HTMLCanvasElement, budgetBytes: number) {
    this.renderer = createGlRenderer(canvas);
    this.renderer.setClearColor(
      (Math.round(BACKGROUND_RGB[0] * 255) << 16) |
        (Math.round(BACKGROUND_RGB[1] * 255) << 8) |
        Math.round(BACKGROUND_RGB[2] * 255),
      1,
    );
    this.quad.setAttribute(
      'position',
      new BufferAttribute(new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]), 3),
    );
    this.quad.setIndex([0, 1, 2, 0, 2, 3]);
    this.textures = new TextureBudget<DataTexture>(
      budgetBytes,
      () => r16uiTexture(new Uint16Array(CELL_TEXELS * CELL_TEXELS), CELL_TEXELS, CELL_TEXELS),
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
    fitDrawingBuffer(this.renderer, w, h);
    this.lut.use(p.colormap);
    const r = visibleRect(v);
    Object.assign(this.camera, { left: r.x0, right: r.x1, top: r.y0, bottom: r.y1 });
    this.camera.updateProjectionMatrix();
    this.level = levelFor(v.umPerPx / p.dpr);
    const cells = mosaic.cellsIn(this.level, r);
    this.textures.beginFrame();
    let n = 0;
    let drawn = 0;
    // cellsIn lists a position's channels together: draw them in passes of CHANNELS_PER_PASS.
    let batch: { cell: MosaicCell; tex: DataTexture }[] = [];
    let overflow = false;
    const flush = () => {
      if (batch.length > 0) this.place(this.mesh(n++), batch, overflow, p);
      batch = [];
    };
    for (const cell of cells) {
      const head = batch[0]?.cell;
      const samePlace = head !== undefined && head.ix === cell.ix && head.iy === cell.iy;
      if (head && (!samePlace || batch.length === CHANNELS_PER_PASS)) {
        flush();
        overflow = samePlace;
      }
      const entry = this.textures.use(cell.key, CELL_BYTES);
      if (!entry) continue;
      if (entry.version !== cell.version) {
        entry.resource.image.data = cell.data;
        entry.resource.needsUpdate = true;
        entry.version = cell.version;
      }
      batch.push({ cell, tex: entry.resource });
      drawn++;
    }
    flush();
    for (let i = 0; i < this.pool.length; i++) this.pool[i]!.visible = i < n;
    this.drawnCells = drawn;
    this.passes = n;
    this.renderer.render(this.scene, this.camera);
  }

  /**
   * RGB of a drawing-buffer pixel (x right, y down) of the last render. Valid only in the
   * same task as render() (the buffer is not preserved): tests call both together.
   */
  readPixel(x: number, y: number): [number, number, number] {
    const gl = this.renderer.getContext();
    const out = new Uint8Array(4);
    gl.readPixels(x, gl.drawingBufferHeight - 1 - y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, out);
    return [out[0]!, out[1]!, out[2]!];
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
    batch: readonly { cell: MosaicCell; tex: DataTexture }[],
    overflow: boolean,
    p: MosaicRenderParams,
  ): void {
    const first = batch[0]!.cell;
    // The first pass replaces the background; further passes of the same cell add to it.
    mesh.material.blending = overflow ? AdditiveBlending : NoBlending;
    const s = cellUm(first.level);
    mesh.position.set(first.ix * s, first.iy * s, 0);
    mesh.scale.set(s, s, 1);
    const u = mesh.material.uniforms;
    const tints = u.uTint!.value as Vector3[];
    for (let i = 0; i < CHANNELS_PER_PASS; i++) {
      const b = batch[i] ?? batch[0]!; // unused samplers still need a valid R16UI texture
      u[`uCell${i}`]!.value = b.tex;
      const tint = p.tints.size > 1 ? (p.tints.get(b.cell.channel) ?? WHITE) : WHITE;
      tints[i]!.set(tint[0], tint[1], tint[2]);
    }
    // One program per channel count (COUNT), so a pass fetches only the textures it uses.
    if (mesh.material.defines.COUNT !== batch.length) {
      mesh.material.defines.COUNT = batch.length;
      mesh.material.needsUpdate = true;
    }
    u.uMin!.value = p.window.min;
    u.uMax!.value = p.window.max;
    u.uGamma!.value = p.window.gamma;
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
        defines: { COUNT: 1 },
        depthTest: false,
        depthWrite: false,
        uniforms: {
          ...Object.fromEntries(
            Array.from({ length: CHANNELS_PER_PASS }, (_, i) => [`uCell${i}`, { value: null }]),
          ),
          uLut: { value: this.lut.texture },
          uMin: { value: 0 },
          uMax: { value: 1 },
          uGamma: { value: 1 },
          uTint: { value: Array.from({ length: CHANNELS_PER_PASS }, () => new Vector3(1, 1, 1)) },
        },
      });
      m = new Mesh(this.quad, material);
      m.frustumCulled = false;
      m.renderOrder = i; // overflow passes draw after their cell's first pass
      this.pool.push(m);
      this.scene.add(m);
    }
    return m;
  }
}
