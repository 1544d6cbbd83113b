// See capture-core.h. The order of the libpcap calls follows dumpcap's capture_opts / capture-pcap-util
// (pcap_create, set options, pcap_activate, then the filter), so every option is applied before the
// kernel ring is built.
#include "capture-core.h"

#include <cerrno>
#include <cstring>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace netlab {

namespace {

void putLE32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}

std::string sockaddrText(const struct sockaddr* sa) {
  if (sa == nullptr) return "";
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

// Maps pcap_activate's status to our stable codes; libpcap's text stays the message.
std::string codeForActivate(int status) {
  switch (status) {
    case PCAP_ERROR_PERM_DENIED:
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      return "ERR_CAPTURE_PERMISSION";
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return "ERR_CAPTURE_NO_DEVICE";
    case PCAP_ERROR_IFACE_NOT_UP:
      return "ERR_CAPTURE_IFACE_DOWN";
    default:
      return "ERR_CAPTURE_OPEN";
  }
}

}  // namespace

const char* hintFor(const std::string& code) {
  if (code == "ERR_CAPTURE_PERMISSION") {
#if defined(__APPLE__)
    return "Capturing needs read access to /dev/bpf*. Install Wireshark's ChmodBPF helper (it adds you "
           "to the access_bpf group), or run: sudo chmod o+r /dev/bpf*";
#elif defined(_WIN32)
    return "Install Npcap (https://npcap.com) and, if you chose 'Restrict Npcap driver's access to "
           "Administrators only', run NetLab Workbench as administrator.";
#else
    return "Give the capture helper (only it, never node or electron) the capture capabilities: "
           "sudo setcap cap_net_raw,cap_net_admin+eip <path of netlab-capture>, or capture as "
           "administrator through pkexec when NetLab Workbench offers it.";
#endif
  }
  if (code == "ERR_CAPTURE_NO_DEVICE") return "Run 'netlab interfaces' to list the interfaces you can capture on.";
  if (code == "ERR_CAPTURE_IFACE_DOWN") return "Bring the interface up (ip link set IFACE up) or pick another one.";
  if (code == "ERR_CAPTURE_FILTER") return "Capture filters use tcpdump syntax, e.g. 'tcp port 80' or 'host 10.0.0.1'.";
  if (code == "ERR_CAPTURE_CLOSED") return "Open a new capture; this one was closed.";
  return "Check the interface name and options; libpcap's message above says what failed.";
}

void appendRecord(std::vector<uint8_t>& out, const struct pcap_pkthdr* h, const uint8_t* data,
                  bool nanosecond) {
  size_t at = out.size();
  out.resize(at + kRecordHeaderSize + h->caplen);
  uint8_t* p = out.data() + at;
  // With PCAP_TSTAMP_PRECISION_NANO libpcap puts nanoseconds in tv_usec.
  uint32_t frac = static_cast<uint32_t>(h->ts.tv_usec);
  putLE32(p, static_cast<uint32_t>(h->ts.tv_sec));
  putLE32(p + 4, nanosecond ? frac : frac * 1000u);
  putLE32(p + 8, h->caplen);
  putLE32(p + 12, h->len);
  if (h->caplen > 0) std::memcpy(p + kRecordHeaderSize, data, h->caplen);
}

std::vector<Interface> listInterfaces(CoreError& err) {
  std::vector<Interface> result;
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_if_t* all = nullptr;
  if (pcap_findalldevs(&all, errbuf) != 0) {
    err = {"ERR_CAPTURE_LIST", errbuf};
    return result;
  }
  for (pcap_if_t* d = all; d != nullptr; d = d->next) {
    Interface i;
    i.name = d->name ? d->name : "";
    i.description = d->description ? d->description : "";
    i.loopback = (d->flags & PCAP_IF_LOOPBACK) != 0;
    i.up = (d->flags & PCAP_IF_UP) != 0;
    i.running = (d->flags & PCAP_IF_RUNNING) != 0;
    i.wireless = (d->flags & PCAP_IF_WIRELESS) != 0;
    switch (d->flags & PCAP_IF_CONNECTION_STATUS) {
      case PCAP_IF_CONNECTION_STATUS_CONNECTED: i.connectionStatus = "connected"; break;
      case PCAP_IF_CONNECTION_STATUS_DISCONNECTED: i.connectionStatus = "disconnected"; break;
      case PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE: i.connectionStatus = "not-applicable"; break;
      default: i.connectionStatus = "unknown";
    }
    for (pcap_addr_t* a = d->addresses; a != nullptr; a = a->next) {
      if (a->addr == nullptr) continue;
      int fam = a->addr->sa_family;
      if (fam != AF_INET && fam != AF_INET6) continue;  // AF_PACKET (MAC) entries are not addresses here
      i.addresses.push_back({fam == AF_INET ? "inet" : "inet6", sockaddrText(a->addr),
                             sockaddrText(a->netmask), sockaddrText(a->broadaddr)});
    }
    result.push_back(std::move(i));
  }
  pcap_freealldevs(all);
  return result;
}

bool checkFilter(int linkType, int snaplen, const std::string& text, CoreError& err) {
  pcap_t* dead = pcap_open_dead(linkType, snaplen);
  if (dead == nullptr) {
    err = {"ERR_CAPTURE_FILTER", "libpcap could not open a handle for this link type"};
    return false;
  }
  struct bpf_program prog;
  bool ok = pcap_compile(dead, &prog, text.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
  if (ok) {
    pcap_freecode(&prog);
  } else {
    err = {"ERR_CAPTURE_FILTER", pcap_geterr(dead)};
  }
  pcap_close(dead);
  return ok;
}

Capture::~Capture() { close(); }

Capture* Capture::open(const OpenOptions& opt, CoreError& err) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* p = pcap_create(opt.device.c_str(), errbuf);
  if (p == nullptr) {
    err = {"ERR_CAPTURE_OPEN", errbuf};
    return nullptr;
  }
  pcap_set_snaplen(p, opt.snaplen);
  pcap_set_promisc(p, opt.promisc ? 1 : 0);
  pcap_set_timeout(p, opt.timeoutMs);
  if (opt.bufferSize > 0) pcap_set_buffer_size(p, opt.bufferSize);
  if (opt.immediate) pcap_set_immediate_mode(p, 1);
  bool nano = false;
  if (opt.nanosecond) nano = pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) == 0;
  int status = pcap_activate(p);
  if (status < 0) {
    std::string msg = pcap_geterr(p);
    if (msg.empty()) msg = pcap_statustostr(status);
    // libpcap leaves the bare status text for some failures; name the device as tshark does.
    if (status == PCAP_ERROR_NO_SUCH_DEVICE && msg.find(opt.device) == std::string::npos) {
      msg = opt.device + ": " + msg;
    }
    err = {codeForActivate(status), msg};
    pcap_close(p);
    return nullptr;
  }
  // status > 0 is a warning (e.g. PCAP_WARNING_PROMISC_NOTSUP); the capture still works.
  auto* c = new Capture();
  c->p_ = p;
  c->device_ = opt.device;
  c->linkType_ = pcap_datalink(p);
  c->snaplen_ = pcap_snapshot(p);
  c->nanosecond_ = nano && pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
#ifdef __linux__
  // Linux stamps an skb once for every packet socket only while some socket has asked for software
  // timestamps (the netstamp_needed static key: net_timestamp_set() in dev_queue_xmit_nit and
  // net_timestamp_check() on receive). Without it each packet socket reads the clock itself as
  // af_packet delivers to it, so our stamps and a simultaneous tcpdump's differ by up to a few
  // microseconds. Holding one SO_TIMESTAMPNS socket open for the capture turns the shared stamp on,
  // and every capture of a packet (ours, tcpdump's, Wireshark's) then carries the same time.
  c->tstampAnchor_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (c->tstampAnchor_ >= 0) {
    int on = 1;
    setsockopt(c->tstampAnchor_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  }
#endif
#ifndef _WIN32
  c->fd_ = pcap_get_selectable_fd(p);
  // Non-blocking reads: the reader polls and then takes what is there, so close and stats never wait
  // on a blocked pcap_dispatch.
  pcap_setnonblock(p, 1, errbuf);
#endif
  if (!opt.filter.empty() && !c->setFilter(opt.filter, err)) {
    delete c;
    return nullptr;
  }
  return c;
}

bool Capture::setFilter(const std::string& text, CoreError& err) {
  std::lock_guard<std::mutex> lock(mu_);
  if (p_ == nullptr) {
    err = {"ERR_CAPTURE_CLOSED", "the capture handle is closed"};
    return false;
  }
  bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
  char errbuf[PCAP_ERRBUF_SIZE];
  // The netmask only matters for "ip broadcast"; like tcpdump, go on without it when unknown.
  if (pcap_lookupnet(device_.c_str(), &net, &mask, errbuf) != 0) mask = PCAP_NETMASK_UNKNOWN;
  struct bpf_program prog;
  if (pcap_compile(p_, &prog, text.c_str(), 1, mask) != 0) {
    err = {"ERR_CAPTURE_FILTER", pcap_geterr(p_)};
    return false;
  }
  int rc = pcap_setfilter(p_, &prog);
  pcap_freecode(&prog);
  if (rc != 0) {
    err = {"ERR_CAPTURE_FILTER", pcap_geterr(p_)};
    return false;
  }
  return true;
}

void Capture::onPacket(u_char* user, const struct pcap_pkthdr* h, const u_char* bytes) {
  auto* self = reinterpret_cast<Capture*>(user);
  appendRecord(*self->sink_, h, bytes, self->nanosecond_);
}

int Capture::readBatch(std::vector<uint8_t>& out, int maxPackets, CoreError& err) {
  std::lock_guard<std::mutex> lock(mu_);
  if (p_ == nullptr) {
    err = {"ERR_CAPTURE_CLOSED", "the capture handle is closed"};
    return -1;
  }
  sink_ = &out;
  int n = pcap_dispatch(p_, maxPackets, &Capture::onPacket, reinterpret_cast<u_char*>(this));
  sink_ = nullptr;
  if (n == PCAP_ERROR) {
    err = {"ERR_CAPTURE_READ", pcap_geterr(p_)};
    return -1;
  }
  return n < 0 ? 0 : n;  // PCAP_ERROR_BREAK: nothing read
}

int Capture::wait(int wakeFd, int timeoutMs) {
#ifdef _WIN32
  (void)wakeFd;
  (void)timeoutMs;
  return 1;  // Windows: pcap_dispatch itself waits up to the read timeout (no selectable fd)
#else
  struct pollfd fds[2];
  int n = 0;
  fds[n++] = {fd_, POLLIN, 0};
  if (wakeFd >= 0) fds[n++] = {wakeFd, POLLIN, 0};
  int rc = poll(fds, n, timeoutMs);
  if (rc < 0) return errno == EINTR ? 0 : -1;
  if (n > 1 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) return 2;
  if (rc == 0) return 0;
  return 1;
#endif
}

bool Capture::stats(Stats& s, CoreError& err) {
  std::lock_guard<std::mutex> lock(mu_);
  if (p_ == nullptr) {
    err = {"ERR_CAPTURE_CLOSED", "the capture handle is closed"};
    return false;
  }
  struct pcap_stat ps;
  std::memset(&ps, 0, sizeof ps);
  if (pcap_stats(p_, &ps) != 0) {
    err = {"ERR_CAPTURE_STATS", pcap_geterr(p_)};
    return false;
  }
  s.received = ps.ps_recv;
  s.dropped = ps.ps_drop;
  s.ifDropped = ps.ps_ifdrop;
  return true;
}

void Capture::close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (p_ != nullptr) {
    pcap_close(p_);
    p_ = nullptr;
    fd_ = -1;
  }
#ifdef __linux__
  if (tstampAnchor_ >= 0) {
    ::close(tstampAnchor_);
    tstampAnchor_ = -1;
  }
#endif
}

}  // namespace netlab
