// The one libpcap capture core of NetLab Workbench, shared by its two front ends: the N-API addon
// (native/src/addon.cc: interface list, filter checks, in-process capture) and the capture helper
// executable (native/src/helper.cc, the app's `dumpcap`). Plain C++17 and libpcap, no Node.
//
// Records leave the core in one layout, used unchanged by the addon's ArrayBuffer batches and by the
// helper's RECORDS frames (see helper-protocol.h), and parsed by native/helper-protocol.ts:
//
//   offset size  field (all little-endian)
//   0      4     ts_sec    seconds since 1970-01-01 UTC
//   4      4     ts_nsec   nanoseconds within the second (microsecond captures give multiples of 1000)
//   8      4     caplen    bytes captured, = the number of data bytes that follow
//   12     4     origlen   bytes on the wire
//   16     caplen data
//
// Records follow each other with no padding.
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace netlab {

constexpr size_t kRecordHeaderSize = 16;

// Stable error codes: the same strings reach the user as {code, message, hint}.
struct CoreError {
  std::string code;     // e.g. ERR_CAPTURE_PERMISSION, ERR_CAPTURE_NO_DEVICE, ERR_CAPTURE_FILTER
  std::string message;  // libpcap's own text where there is one
  bool ok() const { return code.empty(); }
};

struct OpenOptions {
  std::string device;
  int snaplen = 262144;        // tshark/dumpcap's default (WTAP_MAX_PACKET_SIZE_STANDARD)
  bool promisc = true;         // tshark's default; -p turns it off
  int bufferSize = 0;          // bytes; 0 = libpcap's default (2 MiB on Linux)
  // Off by default, as in tcpdump and dumpcap: libpcap 1.10's immediate mode on Linux falls back to
  // TPACKET_V2, which truncates a small snaplen 2 bytes short of tcpdump's (-s 60 gave 58 bytes), and
  // its ring drops more under bursts. The read timeout below bounds the latency instead.
  bool immediate = false;
  bool nanosecond = true;      // ask for ns timestamps; falls back to us where unsupported
  int timeoutMs = 50;          // read timeout (TPACKET_V3 block retire time) when immediate mode is off
  std::string filter;          // BPF capture filter (tcpdump syntax), empty = none
};

struct Stats {
  uint64_t received = 0;   // ps_recv
  uint64_t dropped = 0;    // ps_drop: no room in the capture buffer
  uint64_t ifDropped = 0;  // ps_ifdrop: dropped by the interface or its driver
};

struct Address {
  std::string family;  // "inet" | "inet6"
  std::string addr;
  std::string netmask;
  std::string broadaddr;
};

struct Interface {
  std::string name;
  std::string description;
  std::vector<Address> addresses;
  bool loopback = false, up = false, running = false, wireless = false;
  // PCAP_IF_CONNECTION_STATUS_*: "unknown" | "connected" | "disconnected" | "not-applicable"
  std::string connectionStatus;
};

// Appends one record (header + data) to `out` in the layout above.
void appendRecord(std::vector<uint8_t>& out, const struct pcap_pkthdr* h, const uint8_t* data,
                  bool nanosecond);

std::vector<Interface> listInterfaces(CoreError& err);

// Compiles `text` for a link type without any interface (pcap_open_dead), as Wireshark's capture
// filter entry does while the user types. Returns libpcap's message on failure.
bool checkFilter(int linkType, int snaplen, const std::string& text, CoreError& err);

// One open capture handle. Thread-safety: every libpcap call goes through `mu_`, so one thread may
// read batches while another asks for statistics or changes the filter (pcap_t is not thread-safe).
class Capture {
 public:
  ~Capture();
  static Capture* open(const OpenOptions& opt, CoreError& err);

  int linkType() const { return linkType_; }
  int snaplen() const { return snaplen_; }
  bool nanosecond() const { return nanosecond_; }
  const std::string& device() const { return device_; }
  // The fd to poll() for readability, or -1 where there is none (Windows).
  int selectableFd() const { return fd_; }

  bool setFilter(const std::string& text, CoreError& err);
  // Reads what is available now (non-blocking) and appends up to `maxPackets` records to `out`.
  // Returns the number of records appended, or -1 on error (err set).
  int readBatch(std::vector<uint8_t>& out, int maxPackets, CoreError& err);
  // Waits until the handle is readable, `wakeFd` is readable, or `timeoutMs` passes.
  // Returns 1 when packets may be ready, 2 when wakeFd fired, 0 on timeout, -1 on error.
  int wait(int wakeFd, int timeoutMs);
  bool stats(Stats& s, CoreError& err);
  void close();
  bool closed() const { return p_ == nullptr; }

 private:
  Capture() = default;
  static void onPacket(u_char* user, const struct pcap_pkthdr* h, const u_char* bytes);

  std::mutex mu_;
  pcap_t* p_ = nullptr;
  int fd_ = -1;
  // A socket held open only to keep the kernel's software receive timestamps on (see open()).
  int tstampAnchor_ = -1;
  int linkType_ = 0;
  int snaplen_ = 0;
  bool nanosecond_ = false;
  std::string device_;
  std::vector<uint8_t>* sink_ = nullptr;
};

// The hint shown with each error code: what to do about it, for the platform this was built for.
const char* hintFor(const std::string& code);

}  // namespace netlab
