// The packet store's public face.
export { PacketStore, CHUNK_SIZE } from './packet-store.js';
