/**
 * In-page code (as strings: the page runs them as given) that counts the attribute buffers
 * deck.gl writes: accessor updates and new binary values of every layer's attributes, constants
 * not counted. A window change should write none: it is a filter range on the GPU.
 */

/** Starts counting on the map's deck.gl layers as they are now; run again for layers made since. */
export const WATCH_ATTRIBUTES = `(() => {
  const w = window;
  const deck = w.__map.__deck;
  const s = (w.__attributeWatch ??= { writes: 0, inUpdate: 0, watched: new WeakSet() });
  for (const l of deck.layerManager.getLayers()) {
    const m = l.getAttributeManager && l.getAttributeManager();
    for (const a of m ? Object.values(m.attributes) : []) {
      if (s.watched.has(a)) continue;
      s.watched.add(a);
      const update = a.updateBuffer;
      a.updateBuffer = function (...args) {
        s.writes++;
        s.inUpdate++;
        try {
          return update.apply(this, args);
        } finally {
          s.inUpdate--;
        }
      };
      const set = a.setData;
      a.setData = function (d) {
        if (!s.inUpdate && !(d && d.constant)) s.writes++;
        return set.call(this, d);
      };
    }
  }
  return s.writes;
})()`;

/** The attribute buffers written since counting started. */
export const ATTRIBUTE_WRITES = 'window.__attributeWatch?.writes ?? 0';
