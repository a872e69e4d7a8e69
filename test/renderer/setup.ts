// IndexedDB for Dexie under happy-dom: fake-indexeddb is a complete in-memory implementation.
import 'fake-indexeddb/auto';
