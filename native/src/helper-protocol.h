// The byte stream the capture helper (netlab-capture) writes on its stdout, read by
// native/helper-protocol.ts in the main process. Keep the two files in step.
//
//   stream  = magic frame*
//   magic   = the 8 bytes "NLCAP01\n"
//   frame   = type:u32le length:u32le payload[length]
//
//   type 1 HELLO    JSON {"version":1,"device","linkType","snaplen","tsPrecision":"nano"|"micro",
//                   "filter","pid"}; the first frame once the interface is open.
//   type 2 RECORDS  count:u32le, then `count` records in the capture core's layout
//                   (capture-core.h: ts_sec, ts_nsec, caplen, origlen as u32le, then the bytes).
//   type 3 STATS    received:u64le dropped:u64le ifDropped:u64le captured:u64le. The first three are
//                   pcap_stats' ps_recv / ps_drop / ps_ifdrop, the last the records the helper wrote.
//                   Sent every --stats-ms milliseconds and once more just before END.
//   type 4 ERROR    JSON {"code","message","hint"}; the helper then sends END and exits with status 1.
//   type 5 END      JSON {"reason":"signal"|"stdin-eof"|"count"|"error"|"output-closed"}; last frame.
//
// A helper that dies without END (killed, crashed) leaves a stream that simply stops; every complete
// RECORDS frame before that point is valid. Errors are also printed on stderr as one JSON line, so
// a person running the helper by hand sees them.
#pragma once

#include <cstdint>

namespace netlab {
namespace helper {

constexpr char kMagic[8] = {'N', 'L', 'C', 'A', 'P', '0', '1', '\n'};
constexpr uint32_t kFrameHello = 1;
constexpr uint32_t kFrameRecords = 2;
constexpr uint32_t kFrameStats = 3;
constexpr uint32_t kFrameError = 4;
constexpr uint32_t kFrameEnd = 5;

}  // namespace helper
}  // namespace netlab
