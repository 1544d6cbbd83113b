// netlab-capture: the capture helper, NetLab Workbench's `dumpcap`. A small native program that owns
// the capture handle so that only it needs capture privileges (Linux: setcap cap_net_raw,cap_net_admin
// on this file alone) and a libpcap crash never takes the UI down. It streams records and statistics
// on stdout in the framed format of helper-protocol.h and stops cleanly on SIGTERM, SIGINT, SIGHUP or
// end of stdin (the supervisor closing its pipe, or dying).
//
// usage: netlab-capture -i IFACE [-f FILTER] [-s SNAPLEN] [-p] [-B MIB] [-c COUNT] [--micro]
//                       [--immediate] [--stats-ms N]
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "capture-core.h"
#include "helper-protocol.h"

#ifndef _WIN32
#include <fcntl.h>
#include <poll.h>
#include <sys/time.h>
#include <unistd.h>
#else
#include <io.h>
#include <process.h>
#include <windows.h>
#define write _write
#define getpid _getpid
#define STDOUT_FILENO 1
#endif

using netlab::CoreError;

namespace {

int g_signalPipe[2] = {-1, -1};
volatile std::sig_atomic_t g_stopRequested = 0;
bool g_outputClosed = false;

void onSignal(int sig) {
  g_stopRequested = 1;
  unsigned char b = static_cast<unsigned char>(sig);
  if (g_signalPipe[1] >= 0) (void)!::write(g_signalPipe[1], &b, 1);
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

bool writeAll(const void* data, size_t len) {
  if (g_outputClosed) return false;
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    auto n = ::write(STDOUT_FILENO, p, static_cast<unsigned>(len));
    if (n < 0) {
      if (errno == EINTR) continue;
      g_outputClosed = true;  // EPIPE: the reader is gone; stop capturing
      return false;
    }
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

void putLE32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void putLE64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

bool writeFrame(uint32_t type, const uint8_t* payload, size_t len) {
  uint8_t head[8];
  putLE32(head, type);
  putLE32(head + 4, static_cast<uint32_t>(len));
  return writeAll(head, 8) && (len == 0 || writeAll(payload, len));
}

bool writeJsonFrame(uint32_t type, const std::string& json) {
  return writeFrame(type, reinterpret_cast<const uint8_t*>(json.data()), json.size());
}

void reportError(const std::string& code, const std::string& message) {
  std::string json = "{\"code\":" + jsonString(code) + ",\"message\":" + jsonString(message) +
                     ",\"hint\":" + jsonString(netlab::hintFor(code)) + "}";
  writeJsonFrame(netlab::helper::kFrameError, json);
  std::fprintf(stderr, "%s\n", json.c_str());
}

void writeEnd(const char* reason) {
  writeJsonFrame(netlab::helper::kFrameEnd, std::string("{\"reason\":\"") + reason + "\"}");
}

bool writeStats(netlab::Capture& cap, uint64_t captured) {
  netlab::Stats s;
  CoreError err;
  if (!cap.stats(s, err)) return true;  // a missing statistic is not worth ending the capture for
  uint8_t buf[32];
  putLE64(buf, s.received);
  putLE64(buf + 8, s.dropped);
  putLE64(buf + 16, s.ifDropped);
  putLE64(buf + 24, captured);
  return writeFrame(netlab::helper::kFrameStats, buf, sizeof buf);
}

int usage(const char* msg) {
  std::string m = std::string(msg) +
                  " (usage: netlab-capture -i IFACE [-f FILTER] [-s SNAPLEN] [-p] [-B MIB] [-c COUNT] "
                  "[--micro] [--immediate] [--stats-ms N])";
  std::string json = "{\"code\":\"ERR_CAPTURE_USAGE\",\"message\":" + jsonString(m) +
                     ",\"hint\":\"The capture helper is started by NetLab Workbench; run 'netlab capture "
                     "--help' to capture from a shell.\"}";
  std::fprintf(stderr, "%s\n", json.c_str());
  return 2;
}

bool parseInt(const char* s, long lo, long hi, long& out) {
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) return false;
  out = v;
  return true;
}

uint64_t nowMs() {
#ifndef _WIN32
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<uint64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
#else
  return GetTickCount64();
#endif
}

}  // namespace

int main(int argc, char** argv) {
  netlab::OpenOptions opt;
  // Larger than libpcap's 2 MiB default: our reader is a pipe into Node, which is burstier than
  // tcpdump writing a file (see test/bench/capture.bench.mjs).
  opt.bufferSize = 16 * 1024 * 1024;
  long count = 0, statsMs = 1000;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto next = [&](const char* what) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)what;
      return argv[++i];
    };
    long v = 0;
    const char* val = nullptr;
    if (a == "-i") {
      if (!(val = next("-i"))) return usage("-i needs an interface name");
      opt.device = val;
    } else if (a == "-f") {
      if (!(val = next("-f"))) return usage("-f needs a capture filter");
      opt.filter = val;
    } else if (a == "-s") {
      if (!(val = next("-s")) || !parseInt(val, 0, 262144, v)) return usage("-s needs a snaplen 0..262144");
      opt.snaplen = v == 0 ? 262144 : static_cast<int>(v);  // tcpdump: -s 0 means the default
    } else if (a == "-p") {
      opt.promisc = false;
    } else if (a == "-B") {
      if (!(val = next("-B")) || !parseInt(val, 1, 2047, v)) return usage("-B needs a buffer size in MiB, 1..2047");
      opt.bufferSize = static_cast<int>(v) * 1024 * 1024;
    } else if (a == "-c") {
      if (!(val = next("-c")) || !parseInt(val, 1, 2000000000L, v)) return usage("-c needs a positive count");
      count = v;
    } else if (a == "--micro") {
      opt.nanosecond = false;
    } else if (a == "--immediate") {
      opt.immediate = true;
    } else if (a == "--stats-ms") {
      if (!(val = next("--stats-ms")) || !parseInt(val, 10, 3600000, v)) return usage("--stats-ms needs 10..3600000");
      statsMs = v;
    } else {
      return usage(("unknown argument " + a).c_str());
    }
  }
  if (opt.device.empty()) return usage("-i IFACE is required");

#ifndef _WIN32
  std::signal(SIGPIPE, SIG_IGN);
  if (pipe(g_signalPipe) != 0) return 1;
  fcntl(g_signalPipe[1], F_SETFL, O_NONBLOCK);
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = onSignal;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
#else
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
#endif

  writeAll(netlab::helper::kMagic, sizeof netlab::helper::kMagic);
  CoreError err;
  netlab::Capture* cap = netlab::Capture::open(opt, err);
  if (cap == nullptr) {
    reportError(err.code, err.message);
    writeEnd("error");
    return 1;
  }
  {
    std::string hello = "{\"version\":1,\"device\":" + jsonString(cap->device()) +
                        ",\"linkType\":" + std::to_string(cap->linkType()) +
                        ",\"snaplen\":" + std::to_string(cap->snaplen()) + ",\"tsPrecision\":\"" +
                        (cap->nanosecond() ? "nano" : "micro") + "\",\"filter\":" + jsonString(opt.filter) +
                        ",\"pid\":" + std::to_string(static_cast<long>(getpid())) + "}";
    writeJsonFrame(netlab::helper::kFrameHello, hello);
  }

  const char* reason = "signal";
  uint64_t captured = 0;
  uint64_t nextStats = nowMs() + static_cast<uint64_t>(statsMs);
  std::vector<uint8_t> batch;
  batch.reserve(1 << 20);
  bool stdinOpen = true;
  bool stopping = false;
  int status = 0;
  for (;;) {
    uint64_t now = nowMs();
    int timeout = now >= nextStats ? 0 : static_cast<int>(nextStats - now);
#ifndef _WIN32
    struct pollfd fds[3] = {{cap->selectableFd(), POLLIN, 0}, {g_signalPipe[0], POLLIN, 0}, {0, POLLIN, 0}};
    int rc = poll(fds, stdinOpen ? 3 : 2, timeout);
    if (rc < 0 && errno != EINTR) {
      reportError("ERR_CAPTURE_READ", std::string("poll: ") + std::strerror(errno));
      reason = "error";
      status = 1;
      break;
    }
    // On a stop request, one more read takes what is already in the ring: nothing received is lost.
    if (rc > 0 && (fds[1].revents & POLLIN)) stopping = true;  // reason stays "signal"
    if (stdinOpen && rc > 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      char buf[256];
      auto n = read(0, buf, sizeof buf);
      if (n <= 0) {
        if (!stopping) reason = "stdin-eof";
        stdinOpen = false;
        stopping = true;
      }
    }
#else
    (void)timeout;
    if (g_stopRequested) stopping = true;
#endif
    batch.clear();
    uint32_t n = 0;
    for (;;) {
      int room = count > 0 ? static_cast<int>(count - static_cast<long>(captured) - n) : 1024;
      if (room <= 0) break;
      if (room > 1024) room = 1024;
      if (batch.empty()) batch.resize(4);  // the count, filled in below
      int got = cap->readBatch(batch, room, err);
      if (got < 0) {
        reportError(err.code, err.message);
        reason = "error";
        status = 1;
        break;
      }
      n += static_cast<uint32_t>(got);
      if (got == 0 || batch.size() > (1u << 20)) break;
    }
    if (n > 0) {
      putLE32(batch.data(), n);
      if (!writeFrame(netlab::helper::kFrameRecords, batch.data(), batch.size())) {
        reason = "output-closed";
        break;
      }
      captured += n;
    }
    if (status != 0) break;
    if (count > 0 && captured >= static_cast<uint64_t>(count)) {
      reason = "count";
      break;
    }
    if (stopping) break;
    if (nowMs() >= nextStats) {
      if (!writeStats(*cap, captured)) {
        reason = "output-closed";
        break;
      }
      nextStats = nowMs() + static_cast<uint64_t>(statsMs);
    }
  }
  writeStats(*cap, captured);
  writeEnd(reason);
  delete cap;
  return status;
}
