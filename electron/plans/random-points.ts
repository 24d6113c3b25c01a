/**
 * useq-schema `RandomPoints`: points (µm, relative to the position) uniformly drawn in an
 * ellipse-ish or rectangular region, optionally kept one FOV apart, then ordered. With a
 * `random_seed` the draws are numpy's (see mt19937.ts), so the points equal useq's up to
 * the last bits of cos/sin; without one they differ on every expansion, as in useq.
 */
import { Mt19937 } from './mt19937';
import { orderPoints, type Point } from './traversal';
import type { GridPlan } from './types';

type RandomPlan = Extract<GridPlan, { kind: 'random_points' }>;

/** useq gives up on non-overlapping placement after this many candidate points. */
const MAX_TRIES = 10_000;

function draw(rng: Mt19937, plan: RandomPlan, n: number): Point[] {
  const out: Point[] = [];
  const w = plan.max_width;
  const h = plan.max_height;
  for (let i = 0; i < n; i++) {
    if (plan.shape === 'ellipse') {
      const u0 = rng.nextDouble();
      const u1 = rng.nextDouble();
      const angle = rng.nextDouble() * 2 * Math.PI;
      out.push([u0 * ((w / 2) * Math.cos(angle)), u1 * ((h / 2) * Math.sin(angle))]);
    } else {
      const u0 = rng.nextDouble();
      const u1 = rng.nextDouble();
      out.push([u0 * w - w / 2, u1 * h - h / 2]);
    }
  }
  return out;
}

const farEnough = (points: Point[], p: Point, minX: number, minY: number) =>
  !points.some((q) => Math.abs(p[0] - q[0]) < minX && Math.abs(p[1] - q[1]) < minY);

export function randomPoints(plan: RandomPlan, random: () => number): Point[] {
  const seed = plan.random_seed ?? Math.floor(random() * 0x1_0000_0000);
  const rng = new Mt19937(seed);
  let points: Point[] = [];
  let needed = plan.num_points;
  let startAt = 0;
  if (typeof plan.start_at === 'number') startAt = plan.start_at;
  else {
    points = [[plan.start_at.x, plan.start_at.y]];
    needed -= 1;
  }
  const { fov_width: fw, fov_height: fh } = plan;
  if (plan.allow_overlap || fw === null || fh === null) {
    points.push(...draw(rng, plan, needed));
  } else {
    let tries = 0;
    while (tries < MAX_TRIES && points.length < plan.num_points) {
      const candidates = draw(rng, plan, needed);
      tries += needed;
      for (const p of candidates) {
        if (farEnough(points, p, fw, fh)) {
          points.push(p);
          if (points.length >= plan.num_points) break;
        }
      }
    }
  }
  return plan.order === null ? points : orderPoints(points, plan.order, startAt, random);
}
