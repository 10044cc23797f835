// SPDX-License-Identifier: GPL-3.0-or-later
// bench/abuse.sh's generator: malformed and hostile HTTP against a live feedscope-engine over raw
// sockets (a client library would refuse to send most of it). Worker threads send random
// methods, paths and headers, broken framing and chunking, bodies of the wrong type, bad names,
// bad and missing keys, requests for another namespace's entities, pipelined batches and
// WebSocket upgrades followed by garbage frames; beside them it streams 1 GB bodies (with and
// without Content-Length, from one 64 KB buffer), drips bytes on slow connections and holds
// idle ones. Every reply is checked: a well-formed HTTP response whose error body is
// {error, code} with code == X-Request-ID, or a clean close. Keyed requests always carry a
// deliberate flaw, so any 2xx to a write is counted as a failure (stored data must not change).
//
// Usage: feedscope-bench-abuse PORT REQUESTS GUEST_KEY [IDLE] [SLOW] [THREADS]
// Prints counters, then "result requests=N bad=N ..." for the script. Exit 3: the engine
// stopped answering (the script then checks whether it crashed).
#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int g_port = 0;
QByteArray g_guestAuth; // "Basic ..." of the guest key
std::atomic<long> g_issued{0};
long g_total = 0;
std::atomic<bool> g_stop{false};

struct Counters
{
    std::atomic<long> requests{0};  // requests (or request attempts) sent
    std::atomic<long> replies{0};   // well-formed replies
    std::atomic<long> closes{0};    // clean closes without a reply
    std::atomic<long> bad{0};       // malformed replies, bad error bodies, a 2xx to a write
    std::atomic<long> server5xx{0}; // 500s (an internal error is a bug even with a good body)
    std::atomic<long> resets{0};    // connection reset where a reply or close was due
    std::atomic<long> timeouts{0};  // no reply within the time allowed
    std::atomic<long> refused{0};   // connect() refused: the engine is gone
    std::atomic<long> status[6]{};  // by class: 1xx .. 5xx (index 1..5)
} g;

std::mutex g_logMutex;
int g_badShown = 0;

void logBad(const char *what, const QByteArray &request, const QByteArray &reply)
{
    std::lock_guard lock(g_logMutex);
    if (g_badShown++ >= 12)
        return;
    std::fprintf(stderr,
                 "abuse: %s\n  request: %s\n  reply: %s\n",
                 what,
                 request.left(300).toPercentEncoding(" /:{}\",=-_.;?&").constData(),
                 reply.left(400).toPercentEncoding(" /:{}\",=-_.;?&").constData());
}

// ---- sockets ------------------------------------------------------------------------------------

int connectEngine()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(g_port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// Closes with a reset: the client side keeps no TIME_WAIT, so 100,000 connections do not run
// out of ephemeral ports.
void closeHard(int fd)
{
    const linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(fd);
}

bool sendAll(int fd, const char *data, size_t size, int timeoutMs = 10000)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            data += n;
            size -= size_t(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return false;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline
                                                                                - Clock::now());
        if (left.count() <= 0)
            return false;
        pollfd p{fd, POLLOUT, 0};
        ::poll(&p, 1, int(left.count()));
    }
    return true;
}

bool sendAll(int fd, const QByteArray &bytes)
{
    return sendAll(fd, bytes.constData(), size_t(bytes.size()));
}

struct Reply
{
    enum Kind { Response, CleanClose, Reset, Timeout, Truncated } kind = Timeout;
    int status = 0;
    QByteArray head;      // the header block as received
    QByteArray lowerHead; // the same, lower-cased, for finding names
    QByteArray body;
    QByteArray raw;
    bool closeAfter = false;

    QByteArray header(const QByteArray &name) const
    {
        const qsizetype at = lowerHead.indexOf(QByteArray("\r\n" + name + ":"));
        if (at < 0)
            return {};
        const qsizetype start = at + 3 + name.size();
        return head.mid(start, head.indexOf("\r\n", start) - start).trimmed();
    }
};

// Reads one response (skipping 100 Continue); `pending` keeps bytes of the next one.
Reply readReply(int fd, QByteArray &pending, int timeoutMs = 10000)
{
    Reply r;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    char chunk[16384];
    for (;;) {
        const qsizetype end = pending.indexOf("\r\n\r\n");
        if (end >= 0) {
            const QByteArray head = pending.left(end + 2);
            const QByteArray lower = head.toLower();
            if (!head.startsWith("HTTP/1.1 ") || head.size() < 12) {
                r.kind = Reply::Truncated;
                r.raw = pending;
                return r;
            }
            const int status = head.mid(9, 3).toInt();
            if (status == 100) {
                pending.remove(0, end + 4);
                continue;
            }
            Reply probe;
            probe.head = head;
            probe.lowerHead = lower;
            const bool noBody = status == 204 || status == 304 || status == 101;
            const qint64 length = noBody ? 0 : probe.header("content-length").toLongLong();
            if (pending.size() >= end + 4 + length) {
                r.kind = Reply::Response;
                r.status = status;
                r.head = head;
                r.lowerHead = lower;
                r.body = pending.mid(end + 4, length);
                r.raw = pending.left(end + 4 + length);
                r.closeAfter = r.header("connection").toLower() == "close";
                pending.remove(0, end + 4 + length);
                return r;
            }
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline
                                                                                - Clock::now());
        if (left.count() <= 0) {
            r.kind = Reply::Timeout;
            r.raw = pending;
            return r;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, int(left.count())) <= 0)
            continue;
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n > 0) {
            pending.append(chunk, n);
            continue;
        }
        if (n == 0) {
            r.kind = pending.isEmpty() ? Reply::CleanClose : Reply::Truncated;
        } else if (errno == EINTR || errno == EAGAIN) {
            continue;
        } else {
            r.kind = Reply::Reset;
        }
        r.raw = pending;
        return r;
    }
}

// ---- checks -------------------------------------------------------------------------------------

bool isWrite(const QByteArray &method)
{
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Counts `r` as the reply to `request` (method `method`); false when it is wrong.
bool judge(const Reply &r, const QByteArray &method, const QByteArray &request)
{
    switch (r.kind) {
    case Reply::CleanClose: ++g.closes; return true;
    case Reply::Reset: ++g.resets; return true; // judged by the caller where it matters
    case Reply::Timeout:
        ++g.timeouts;
        logBad("no reply in time", request, r.raw);
        return false;
    case Reply::Truncated:
        ++g.bad;
        logBad("malformed or truncated reply", request, r.raw);
        return false;
    case Reply::Response: break;
    }
    ++g.replies;
    if (r.status >= 100 && r.status < 600)
        ++g.status[r.status / 100];
    if (r.status == 500)
        ++g.server5xx;
    if (r.status >= 400) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.body, &error);
        const QJsonObject o = doc.object();
        const QString code = o.value(QLatin1String("code")).toString();
        const bool good = r.header("content-type").startsWith("application/json")
                          && error.error == QJsonParseError::NoError && doc.isObject()
                          && !o.value(QLatin1String("error")).toString().isEmpty()
                          && !code.isEmpty() && code.toLatin1() == r.header("x-request-id");
        if (!good) {
            ++g.bad;
            logBad("error reply without a proper {error, code} body", request, r.raw);
            return false;
        }
        return true;
    }
    if (r.status < 300 && isWrite(method) && r.status != 101) {
        ++g.bad;
        logBad("a flawed write succeeded", request, r.raw);
        return false;
    }
    return true;
}

// ---- request material ---------------------------------------------------------------------------

struct Rng
{
    std::mt19937_64 engine{std::random_device{}()};
    int below(int n) { return int(engine() % quint64(n)); }
    bool chance(int percent) { return below(100) < percent; }
    template<typename T>
    const T &pick(const std::vector<T> &v)
    {
        return v[size_t(below(int(v.size())))];
    }
    QByteArray bytes(int n)
    {
        QByteArray out(n, '\0');
        for (char &c : out)
            c = char(engine() & 0xff);
        return out;
    }
};

const std::vector<QByteArray> methods{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD",
                                      "OPTIONS", "TRACE", "CONNECT", "get", "PROPFIND", "X",
                                      "GETT", "P\xc3\x9cT"};
const std::vector<QByteArray> collections{"actions", "triggers", "rules", "packages",
                                          "activations", "limits", "namespaces", "widgets", ""};
const std::vector<QByteArray> names{
    "keep-a", "keep-t", "keep-r", "keep-p", "keep-p/inner", "private-a", "nope", "..", ".",
    "%2e%2e", "a%2fb", "%00", "%ff%fe", "sp%20ace", "\xe2\x98\x83", "-dash", "@at", "x?y",
    "a/b/c/d", "", "tab%09", "%", "%zz", "CON", "trail.", "..%2f..%2fetc%2fpasswd"};
const std::vector<QByteArray> namespaces{"_", "guest", "whisk.system", "other", "..", "%5f",
                                         "", "a%2fb", "GUEST"};
const std::vector<QByteArray> queries{"", "?limit=-1", "?limit=abc", "?skip=-5", "?limit=99999999999",
                                      "?docs=maybe", "?count=yes", "?since=x&upto=y",
                                      "?blocking=true&result=true&timeout=-1",
                                      "?blocking=sure", "?overwrite=perhaps", "?name=%00",
                                      "?a=%", "?" + QByteArray(5000, 'q')};

QByteArray randomPath(Rng &rng)
{
    switch (rng.below(6)) {
    case 0: return "/" + rng.bytes(rng.below(40)).toPercentEncoding();
    case 1:
        return rng.pick(std::vector<QByteArray>{"/", "/ping", "/api", "/api/v1", "/api/v2",
                                                "/api/v1/", "//", "/feedscope/v1/providers",
                                                "/feedscope/v1/providers/alarms/stats",
                                                "/feedscope/v1/providers/nope/x",
                                                "*", "http://evil.example/ping", ""});
    case 2: return "/api/v1/namespaces/" + rng.pick(namespaces);
    default:
        return "/api/v1/namespaces/" + rng.pick(namespaces) + "/" + rng.pick(collections) + "/"
               + rng.pick(names) + rng.pick(queries);
    }
}

QByteArray randomAuth(Rng &rng)
{
    switch (rng.below(9)) {
    case 0: return {};
    case 1: return "Basic";
    case 2: return "Basic !!!notbase64";
    case 3: return "Bearer " + QByteArray("token").toBase64();
    case 4: return "Basic " + QByteArray("23bc46b1-71f6-4ed5-8c54-816aa4f8c502:wrong").toBase64();
    case 5: return "Basic " + QByteArray("no-colon").toBase64();
    case 6: return "Basic " + QByteArray(":").toBase64();
    case 7: return "basic " + rng.bytes(60).toBase64();
    default: return "Basic " + QByteArray(6000, 'A');
    }
}

// A random request on its own connection: random method, path, headers and body, never a valid
// key (so nothing can be changed), always framed so a reply is due.
QByteArray randomRequest(Rng &rng, QByteArray *method)
{
    *method = rng.pick(methods);
    QByteArray out = *method + ' ' + randomPath(rng) + " HTTP/1.1\r\n";
    if (!rng.chance(10))
        out += rng.pick(std::vector<QByteArray>{"Host: 127.0.0.1\r\n", "Host: localhost\r\n",
                                                "Host: evil.example\r\n", "Host: \r\n",
                                                "Host: [::1\r\n", "Host: 127.0.0.1:1:2\r\n"});
    const QByteArray auth = randomAuth(rng);
    if (!auth.isEmpty())
        out += "Authorization: " + auth + "\r\n";
    const int extra = rng.below(6);
    for (int i = 0; i < extra; ++i) {
        switch (rng.below(8)) {
        case 0: out += "Origin: http://evil.example\r\n"; break;
        case 1: out += "Content-Type: " + rng.bytes(8).toHex() + "\r\n"; break;
        case 2: out += "X-" + rng.bytes(6).toHex() + ": " + rng.bytes(20).toBase64() + "\r\n"; break;
        case 3: out += "Connection: " + rng.pick(std::vector<QByteArray>{"close", "keep-alive", "upgrade", "??"}) + "\r\n"; break;
        case 4: out += "Accept: */*\r\n"; break;
        case 5: out += "x-feedscope-fire-token: " + rng.bytes(16).toHex() + "\r\n"; break;
        case 6: out += "Upgrade: websocket\r\n"; break;
        default: out += "Cookie: " + QByteArray(rng.below(3000), 'c') + "\r\n"; break;
        }
    }
    QByteArray body;
    switch (rng.below(5)) {
    case 0: break;
    case 1: body = rng.bytes(rng.below(2000)); break;
    case 2: body = "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"function main(){}\"}}"; break;
    case 3: body = "[1,2,3]"; break;
    default: body = QByteArray(rng.below(100), '{'); break;
    }
    if (!body.isEmpty() || rng.chance(50))
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

// A keyed, well-framed request with a deliberate flaw: a body of the wrong type, a bad name,
// another namespace's entity. Sent on a keep-alive connection.
QByteArray flawedKeyedRequest(Rng &rng, QByteArray *method)
{
    const QByteArray guest = "/api/v1/namespaces/_/";
    const QByteArray system = "/api/v1/namespaces/whisk.system/";
    struct Template
    {
        const char *method;
        QByteArray path;
        QByteArray body;
    };
    const QByteArray badName
        = rng.pick(std::vector<QByteArray>{"%20lead", "a%2fb%2fc%2fd", "bad%00name", "@x", "%",
                                           QByteArray(300, 'n'), "-", "%e2%98", "x%7cy"});
    const std::vector<Template> templates{
        {"PUT", guest + "actions/abuse-a", "{\"exec\":\"not an object\"}"},
        {"PUT", guest + "actions/abuse-a", "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":42}}"},
        {"PUT", guest + "actions/abuse-a", "{\"exec\":{\"kind\":\"cobol:1\",\"code\":\"x\"}}"},
        {"PUT", guest + "actions/abuse-a", "{\"exec\":{\"kind\":\"sequence\",\"components\":\"x\"}}"},
        {"PUT", guest + "actions/abuse-a", "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"},\"limits\":{\"timeout\":-5}}"},
        {"PUT", guest + "actions/abuse-a", "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"},\"parameters\":{\"a\":1}}"},
        {"PUT", guest + "actions/abuse-a", "[\"exec\"]"},
        {"PUT", guest + "actions/abuse-a", "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"}"},
        {"PUT", guest + "actions/abuse-a", QByteArray(3000, '[') },
        {"PUT", guest + "actions/abuse-a", "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"\xff\xfe\"}}"},
        {"PUT", guest + "actions/" + badName, "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"}}"},
        {"PUT", guest + "triggers/" + badName, "{}"},
        {"PUT", guest + "triggers/abuse-t", "{\"parameters\":\"str\"}"},
        {"PUT", guest + "triggers/abuse-t", "{\"parameters\":[{\"key\":1,\"value\":2}]}"},
        {"PUT", guest + "triggers/abuse-t", "{\"annotations\":[{\"nokey\":true}]}"},
        {"PUT", guest + "triggers/abuse-t", "{\"limits\":{}, \"parameters\":5e999}"},
        {"PUT", guest + "rules/abuse-r", "{\"trigger\":5,\"action\":\"keep-a\"}"},
        {"PUT", guest + "rules/abuse-r", "{\"trigger\":\"/_/keep-t\"}"},
        {"PUT", guest + "rules/abuse-r", "{\"trigger\":\"/whisk.system/private-t\",\"action\":\"/_/keep-a\"}"},
        {"PUT", guest + "rules/abuse-r", "{\"trigger\":\"/_/keep-t\",\"action\":\"/whisk.system/private-a\"}"},
        {"PUT", guest + "rules/keep-r", "{\"status\":\"sleeping\"}"},
        {"POST", guest + "rules/keep-r", "{\"status\":\"paused\"}"},
        {"PUT", guest + "packages/abuse-p", "{\"binding\":\"not an object\"}"},
        {"PUT", guest + "packages/abuse-p", "{\"binding\":{\"namespace\":\"whisk.system\",\"name\":\"private-p\"}}"},
        {"PUT", guest + "packages/keep-p/inner", "{}"},
        {"POST", guest + "triggers/keep-t", "[1,2,3]"},
        {"POST", guest + "triggers/keep-t", "\"a string\""},
        {"POST", guest + "triggers/keep-t", "{\"a\":"},
        {"POST", guest + "actions/keep-a?blocking=true", "42"},
        {"POST", guest + "actions/keep-a?blocking=true", "{\"x\":[" + QByteArray(2000, '[') + "}"},
        {"POST", guest + "triggers/" + badName, "{}"},
        {"GET", system + "actions/private-a", {}},
        {"GET", system + "triggers/private-t", {}},
        {"GET", system + "rules/private-r", {}},
        {"GET", system + "actions/private-p/x", {}},
        {"GET", system + "activations", {}},
        {"DELETE", system + "actions/private-a", {}},
        {"DELETE", system + "triggers/private-t", {}},
        {"DELETE", system + "rules/private-r", {}},
        {"DELETE", system + "packages/private-p", {}},
        {"PUT", system + "actions/private-a?overwrite=true", "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"}}"},
        {"PUT", system + "triggers/abuse-t", "{}"},
        {"POST", system + "triggers/private-t", "{}"},
        {"POST", system + "actions/private-a?blocking=true", "{}"},
        {"POST", system + "rules/private-r", "{\"status\":\"inactive\"}"},
        {"GET", "/feedscope/v1/providers/alarms/stats", {}},
        {"DELETE", "/feedscope/v1/providers/alarms/stats", {}},
        {"PUT", guest + "actions/keep-a", "{\"exec\":{\"kind\":\"nodejs:20\",\"code\":\"x\"}}"}, // 409, no overwrite
        {"PUT", guest + "triggers/keep-t", "{}"},                                              // 409
        {"DELETE", guest + "actions/" + badName, {}},
        {"DELETE", guest + "triggers/nope-t", {}},
        {"GET", guest + "activations/" + rng.bytes(16).toHex(), {}},
        {"GET", guest + "activations/" + badName + "/logs", {}},
    };
    const Template &t = rng.pick(templates);
    *method = t.method;
    QByteArray out = QByteArray(t.method) + ' ' + t.path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     + "Authorization: " + g_guestAuth + "\r\n";
    if (!t.body.isEmpty() || t.method != QByteArray("GET"))
        out += "Content-Type: application/json\r\nContent-Length: "
               + QByteArray::number(t.body.size()) + "\r\n";
    return out + "\r\n" + t.body;
}

struct FramingCase
{
    QByteArray bytes;
    bool replyDue = true; // false: an incomplete request, closed by the sender
};

// Broken framing, one per connection.
FramingCase framingCase(Rng &rng)
{
    const QByteArray keyed = "Authorization: " + g_guestAuth + "\r\n";
    const QByteArray fire = "POST /api/v1/namespaces/_/triggers/keep-t HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    switch (rng.below(22)) {
    case 0: return {"GARBAGE\r\n\r\n"};
    case 1: return {"GET /ping\r\n\r\n"};
    case 2: return {"GET /ping SPDY/3\r\n\r\n"};
    case 3: return {"GET /ping HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"};
    case 4: return {fire + keyed + "Content-Length: ten\r\n\r\n"};
    case 5: return {fire + keyed + "Content-Length: -5\r\n\r\n"};
    case 6: return {fire + keyed + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"};
    case 7: return {fire + keyed + "Transfer-Encoding: chunked\r\n\r\n" + QByteArray(3000, '9') + "\r\n"};
    case 8: return {fire + keyed + "Transfer-Encoding: chunked\r\n\r\n2\r\n[]XX0\r\n\r\n", true};
    case 9: return {fire + keyed + "Transfer-Encoding: chunked\r\n\r\n-1\r\n\r\n"};
    case 10: return {fire + keyed + "Transfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n"};
    case 11: return {fire + keyed + "Transfer-Encoding: chunked\r\n\r\n5\r\n[1,2", false};
    case 12: return {fire + keyed + "Content-Length: 100\r\n\r\n{\"short\":", false};
    case 13: return {"GET /ping HTTP/1.1\r\nX-Filler: " + QByteArray(70000, 'f') + "\r\n\r\n"};
    case 14: return {"GET /ping HTTP/1.1\r\n" + rng.bytes(200) + "\r\n\r\n"};
    case 15: return {rng.bytes(rng.below(400) + 1) + "\r\n\r\n"};
    case 16: return {"GET /ping HTTP/1.1\r\nHost: 127.0.0.1", false};
    case 17: return {fire + keyed + "Content-Length: 3\r\nContent-Length: 5\r\n\r\n[1]"};
    case 18: return {fire + keyed + "Content-Length: 99999999999999999999\r\n\r\n"};
    case 19:
        return {fire + keyed + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n\"abc\"", true};
    case 20: return {QByteArray("GET /ping HTTP/1.1\r\n\0\0\0\r\n\r\n", 27)};
    default: return {fire + keyed + "Content-Length: 4000000\r\n\r\n"}; // over the fire limit
    }
}

// ---- the workers --------------------------------------------------------------------------------

bool claim()
{
    return !g_stop && g_issued.fetch_add(1) < g_total;
}

void noteRefused()
{
    if (++g.refused > 50)
        g_stop = true; // the engine is not accepting: stop and let the script look
}

void worker(int seed)
{
    Rng rng;
    rng.engine.seed(quint64(seed) * 7919 + quint64(std::random_device{}()));
    int keepAlive = -1;
    QByteArray pending;
    while (claim()) {
        const int kind = rng.below(100);
        QByteArray method;
        if (kind < 45) {
            // Keyed, framed, flawed: on a keep-alive connection, sometimes pipelined in threes.
            const int batch = rng.chance(10) ? 3 : 1;
            QByteArray bytes;
            std::vector<QByteArray> sentMethods;
            for (int i = 0; i < batch; ++i) {
                bytes += flawedKeyedRequest(rng, &method);
                sentMethods.push_back(method);
            }
            if (keepAlive < 0) {
                keepAlive = connectEngine();
                pending.clear();
                if (keepAlive < 0) {
                    noteRefused();
                    continue;
                }
            }
            g.requests += batch;
            g_issued += batch - 1;
            if (!sendAll(keepAlive, bytes)) {
                ++g.resets;
                closeHard(keepAlive);
                keepAlive = -1;
                continue;
            }
            for (int i = 0; i < batch; ++i) {
                const Reply r = readReply(keepAlive, pending);
                judge(r, sentMethods[size_t(i)], bytes);
                if (r.kind != Reply::Response || r.closeAfter) {
                    closeHard(keepAlive);
                    keepAlive = -1;
                    break;
                }
            }
            continue;
        }
        const int fd = connectEngine();
        if (fd < 0) {
            noteRefused();
            continue;
        }
        ++g.requests;
        QByteArray request;
        bool replyDue = true;
        if (kind < 75) {
            request = randomRequest(rng, &method);
        } else if (kind < 97) {
            FramingCase c = framingCase(rng);
            request = c.bytes;
            replyDue = c.replyDue;
            method = request.left(request.indexOf(' '));
        } else {
            // WebSocket: an upgrade (good or bad), then garbage frames on a granted one.
            const bool good = rng.chance(60);
            request = "GET /api/v1/namespaces/_/activations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: "
                      + QByteArray(good ? "13" : "8") + "\r\nSec-WebSocket-Key: "
                      + (good ? QByteArray("dGhlIHNhbXBsZSBub25jZQ==") : QByteArray("short"))
                      + "\r\nAuthorization: " + (rng.chance(80) ? g_guestAuth : randomAuth(rng))
                      + "\r\n" + (rng.chance(20) ? "Origin: http://evil.example\r\n" : "") + "\r\n";
            method = "GET";
        }
        QByteArray local;
        if (!sendAll(fd, request)) {
            ++g.resets;
            closeHard(fd);
            continue;
        }
        if (!replyDue) {
            ++g.closes; // we hang up mid-request: the engine must just drop it
            closeHard(fd);
            continue;
        }
        const Reply r = readReply(fd, local);
        judge(r, method, request);
        if (r.kind == Reply::Response && r.status == 101) {
            // Unmasked frames, a frame announcing 2^63 bytes, random bytes: each must end in a
            // close (or a reset), never a crash.
            const QByteArray garbage
                = rng.pick(std::vector<QByteArray>{QByteArray("\x81\x05hello", 7),
                                                   QByteArray("\x82\xff\x7f\xff\xff\xff\xff\xff\xff\xff", 10),
                                                   rng.bytes(500), QByteArray("\x88\x80\0\0\0\0", 6)});
            sendAll(fd, garbage, 2000);
            QByteArray rest;
            char sink[4096];
            const auto until = Clock::now() + std::chrono::milliseconds(200);
            while (Clock::now() < until) {
                pollfd p{fd, POLLIN, 0};
                if (::poll(&p, 1, 50) > 0 && ::recv(fd, sink, sizeof sink, 0) <= 0)
                    break;
            }
        }
        closeHard(fd);
    }
    if (keepAlive >= 0)
        closeHard(keepAlive);
}

// 1 GB in 64 KB pieces from one buffer, with Content-Length or chunked; the refusal must come
// long before the end, and then the connection closes.
void bigBody(const QByteArray &method, const QByteArray &path, bool chunked, const char *label)
{
    const int fd = connectEngine();
    if (fd < 0) {
        noteRefused();
        return;
    }
    ++g.requests;
    constexpr qint64 total = 1024LL * 1024 * 1024;
    QByteArray head = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                      + g_guestAuth + "\r\nContent-Type: application/json\r\n";
    head += chunked ? QByteArray("Transfer-Encoding: chunked\r\n")
                    : "Content-Length: " + QByteArray::number(total) + "\r\n";
    sendAll(fd, head + "\r\n");
    const QByteArray piece = chunked ? "10000\r\n" + QByteArray(0x10000, '[') + "\r\n"
                                     : QByteArray(0x10000, '[');
    qint64 sent = 0;
    QByteArray pending;
    Reply reply;
    while (sent < total) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 0) > 0) {
            reply = readReply(fd, pending, 2000);
            break;
        }
        if (!sendAll(fd, piece.constData(), size_t(piece.size()), 5000))
            break; // the engine closed after refusing
        sent += piece.size();
    }
    if (reply.kind == Reply::Timeout && sent >= total)
        reply = readReply(fd, pending, 10000);
    else if (reply.kind == Reply::Timeout)
        reply = readReply(fd, pending, 5000);
    const bool ok = reply.kind == Reply::Response && reply.status == 413;
    judge(reply, method, head);
    std::printf("abuse: 1 GB %s: %d after %.1f MB sent%s\n",
                label,
                reply.status,
                double(sent) / 1048576.0,
                ok ? "" : " (expected 413)");
    if (!ok)
        ++g.bad;
    closeHard(fd);
}

// Connections that drip a byte a second and never finish their request.
void slowSenders(int count)
{
    std::vector<int> fds;
    for (int i = 0; i < count; ++i) {
        const int fd = connectEngine();
        if (fd >= 0) {
            sendAll(fd, QByteArray("POST /api/v1/namespaces/_/triggers/keep-t HTTP/1.1\r\n"));
            fds.push_back(fd);
        }
    }
    long dripped = 0;
    while (!g_stop && g_issued < g_total) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        for (int &fd : fds) {
            if (fd >= 0 && !sendAll(fd, "X", 1, 100)) {
                closeHard(fd);
                fd = -1;
            }
            ++dripped;
        }
    }
    int open = 0;
    for (const int fd : fds) {
        if (fd >= 0) {
            ++open;
            closeHard(fd);
        }
    }
    std::printf("abuse: %d slow senders dripped %ld bytes; %d still open at the end (the engine "
                "closes a request unfinished after 120 s)\n",
                count,
                dripped,
                open);
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc < 4) {
        std::fprintf(stderr,
                     "usage: %s PORT REQUESTS GUEST_KEY [IDLE] [SLOW] [THREADS]\n",
                     argv[0]);
        return 2;
    }
    std::signal(SIGPIPE, SIG_IGN);
    g_port = std::atoi(argv[1]);
    g_total = std::atol(argv[2]);
    g_guestAuth = "Basic " + QByteArray(argv[3]).toBase64();
    const int idle = argc > 4 ? std::atoi(argv[4]) : 2000;
    const int slow = argc > 5 ? std::atoi(argv[5]) : 200;
    const int threads = argc > 6 ? std::atoi(argv[6]) : 2;
    const auto started = Clock::now();

    // Idle connections, held for the whole run: the engine must go on serving beside them.
    std::vector<int> idleFds;
    for (int i = 0; i < idle; ++i) {
        const int fd = connectEngine();
        if (fd < 0)
            break;
        idleFds.push_back(fd);
    }
    std::printf("abuse: %zu idle connections open\n", idleFds.size());

    std::vector<std::thread> pool;
    pool.emplace_back(slowSenders, slow);
    pool.emplace_back([] {
        bigBody("POST", "/api/v1/namespaces/_/triggers/keep-t", false, "fire, Content-Length");
        bigBody("POST", "/api/v1/namespaces/_/triggers/keep-t", true, "fire, chunked");
        bigBody("PUT", "/api/v1/namespaces/_/actions/abuse-big", false, "action PUT, Content-Length");
        bigBody("PUT", "/api/v1/namespaces/_/actions/abuse-big", true, "action PUT, chunked");
    });
    for (int i = 0; i < threads; ++i)
        pool.emplace_back(worker, i);
    for (std::thread &t : pool)
        t.join();

    // Idle connections still open (the engine closes them after 60 s of silence).
    int stillOpen = 0;
    for (const int fd : idleFds) {
        pollfd p{fd, POLLIN, 0};
        char byte;
        if (!(::poll(&p, 1, 0) > 0 && ::recv(fd, &byte, 1, MSG_DONTWAIT) <= 0))
            ++stillOpen;
        closeHard(fd);
    }
    const double seconds
        = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("abuse: %zu idle connections, %d still open after %.0f s\n",
                idleFds.size(),
                stillOpen,
                seconds);
    std::printf("abuse: replies by class: 1xx %ld, 2xx %ld, 3xx %ld, 4xx %ld, 5xx %ld; clean "
                "closes %ld, resets %ld, timeouts %ld, 500s %ld\n",
                g.status[1].load(),
                g.status[2].load(),
                g.status[3].load(),
                g.status[4].load(),
                g.status[5].load(),
                g.closes.load(),
                g.resets.load(),
                g.timeouts.load(),
                g.server5xx.load());
    std::printf("abuse: %ld requests in %.1f s (%.0f/s)\n",
                g.requests.load(),
                seconds,
                double(g.requests.load()) / seconds);
    std::printf("result requests=%ld bad=%ld timeouts=%ld errors500=%ld refused=%ld\n",
                g.requests.load(),
                g.bad.load(),
                g.timeouts.load(),
                g.server5xx.load(),
                g.refused.load());
    std::fflush(stdout);
    return g.refused > 50 ? 3 : 0;
}
