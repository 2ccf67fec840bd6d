// Keeps process.nextTick fast for the life of the process (Node 20, V8 11.3).
//
// process.nextTick builds each tick object with one literal,
//   { [async_id_symbol]: asyncId, [trigger_async_id_symbol]: triggerAsyncId, callback, args },
// which unoptimized code defines one property at a time. For each definition V8 records the shape (map)
// the object had before it, and holds that shape weakly. Complete tick objects all have the last shape,
// so once optimized code builds them whole, nothing keeps the three shapes in between alive and an
// old-space GC collects them. The next tick object defined by unoptimized code then has a shape that
// differs from the recorded one, now cleared, and V8 marks those definitions megamorphic for the rest of
// the process: this kind of feedback has no polymorphic state. From then on every nextTick defines its
// properties in the runtime, about 400 ns more per call, and an HTTP request makes about ten calls:
// 4-7 µs more per GET stock (bench/NOTES.md, session 17). When it happens depends on when the GC runs;
// a service under load from 50 connections hit it during its first 10,000 requests.
//
// Holding one object of each shape in between keeps those shapes alive, so the recorded ones stay valid.
// The objects copy a real tick object's keys, in the literal's order, and its values, so they follow
// the same shape transitions without widening any field. On a Node whose tick objects look different,
// nothing is held. tests/node/tick-shapes.test.js shows the effect on the feedback.
import { executionAsyncResource } from 'node:async_hooks';

const held = [];
let keeping = null;

/** Holds the in-between shapes of a tick object; false when it is not the expected literal. */
function holdShapesOf(tick) {
  if (tick === null || typeof tick !== 'object') return false;
  const [asyncId, triggerId, ...more] = Object.getOwnPropertySymbols(tick);
  if (more.length || asyncId?.description !== 'async_id_symbol' || triggerId?.description !== 'trigger_async_id_symbol'
    || Object.keys(tick).join() !== 'callback,args') return false;
  held.push(
    { [asyncId]: tick[asyncId] },
    { [asyncId]: tick[asyncId], [triggerId]: tick[triggerId] },
    { [asyncId]: tick[asyncId], [triggerId]: tick[triggerId], callback: tick.callback },
  );
  return true;
}

/**
 * Keeps the shapes of process.nextTick's tick objects alive (see above); once per process.
 * @returns {Promise<boolean>} true when the shapes are held, false on a Node whose tick objects differ.
 */
export function keepTickObjectShapes() {
  // Inside a nextTick callback, the current async resource is that callback's tick object.
  keeping ??= new Promise((resolve) => { process.nextTick(() => resolve(holdShapesOf(executionAsyncResource()))); });
  return keeping;
}
