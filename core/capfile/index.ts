// The capture-file codecs' public face: read any pcap/pcapng stream, write either format.
export { LinkType, CaptureFileError, type CaptureFormat, type CaptureInterface, type PacketRecord } from './record.js';
export { createCaptureReader, type CaptureReader } from './reader.js';
export { PcapReader, PcapWriter, maxSnapLen, type PcapWriterOptions } from './pcap.js';
export { PcapngReader, PcapngWriter, type InterfaceStats, type PcapngSection, type PcapngWriterOptions } from './pcapng.js';
export { CUT_SHORT, MAX_UNIT } from './push-parser.js';
