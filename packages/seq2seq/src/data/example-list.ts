import { type ExampleStore, ListStore } from './example-store.js';
import type { SequenceExample } from './sequence-example.js';

/** The store behind each list made by {@link exampleList}. */
const storeOfList = new WeakMap<object, ExampleStore>();
/** Stores made for plain lists, made once per list. */
const storeOfArray = new WeakMap<object, ExampleStore>();

function indexOf(property: string | symbol, size: number): number | undefined {
  if (typeof property !== 'string') return undefined;
  const index = Number(property);
  return Number.isInteger(index) && index >= 0 && index < size && String(index) === property ? index : undefined;
}

/**
 * A read-only list of examples over a store: `length`, indexing, iteration and
 * every read-only array method work (each example is made from the store when
 * it is read), while batching reads the store directly through
 * {@link storeOf}. This is how `prepareTrainingData` hands out typed-array
 * data with the type `train()` has always taken.
 */
export function exampleList(store: ExampleStore): SequenceExample[] {
  const view = new Proxy([] as SequenceExample[], {
    get(target, property, receiver) {
      if (property === 'length') return store.size;
      const index = indexOf(property, store.size);
      if (index !== undefined) return store.example(index);
      return Reflect.get(target, property, receiver);
    },
    has(target, property) {
      return indexOf(property, store.size) !== undefined || Reflect.has(target, property);
    },
    set(_target, property) {
      throw new TypeError(`training examples are read-only (tried to set ${String(property)})`);
    },
    getOwnPropertyDescriptor(target, property) {
      const index = indexOf(property, store.size);
      if (index === undefined) return Reflect.getOwnPropertyDescriptor(target, property);
      return { value: store.example(index), writable: false, enumerable: true, configurable: true };
    },
    ownKeys(target) {
      return [...Array.from({ length: store.size }, (_, i) => String(i)), ...Reflect.ownKeys(target)];
    },
  });
  storeOfList.set(view, store);
  return view;
}

/** The store examples are read from: the one behind an {@link exampleList}, else the list itself read by index. */
export function storeOf(examples: readonly SequenceExample[] | ExampleStore): ExampleStore {
  if (!Array.isArray(examples)) return examples as ExampleStore;
  const known = storeOfList.get(examples) ?? storeOfArray.get(examples);
  if (known) return known;
  const store = new ListStore(examples);
  storeOfArray.set(examples, store);
  return store;
}
