// SPDX-License-Identifier: GPL-3.0-or-later
#include "faultproxy.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace Feedscope::Testing {

namespace {

// Where one HTTP message in `buffer` ends: its length, -1 while incomplete, -2 when it has no
// framing and ends with the connection (an answer without Content-Length or chunks).
constexpr qsizetype incomplete = -1;
constexpr qsizetype untilClose = -2;

qsizetype chunkedEnd(const QByteArray &buffer, qsizetype from)
{
    qsizetype at = from;
    while (true) {
        const qsizetype eol = buffer.indexOf("\r\n", at);
        if (eol < 0)
            return incomplete;
        bool ok = false;
        const qint64 size = buffer.mid(at, eol - at).split(';').value(0).trimmed().toLongLong(&ok,
                                                                                           16);
        if (!ok)
            return untilClose; // malformed: let the close end it
        if (size == 0) {
            // Trailers (none expected), then the empty line.
            const qsizetype end = buffer.indexOf("\r\n\r\n", eol);
            if (end == eol)
                return end + 4;
            const qsizetype blank = buffer.indexOf("\r\n", eol + 2);
            if (blank == eol + 2)
                return blank + 2;
            return end < 0 ? incomplete : end + 4;
        }
        at = eol + 2 + size + 2;
        if (at > buffer.size())
            return incomplete;
    }
}

// `isRequest`: a request without a length has no body; an answer without one runs to the close.
qsizetype messageLength(const QByteArray &buffer, bool isRequest, bool headRequest)
{
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return incomplete;
    const qsizetype bodyStart = headerEnd + 4;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    qint64 contentLength = -1;
    bool chunked = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed().toLower();
        if (name == "content-length")
            contentLength = value.toLongLong();
        else if (name == "transfer-encoding" && value.contains("chunked"))
            chunked = true;
    }
    if (!isRequest) {
        const int status = lines.value(0).split(' ').value(1).toInt();
        if (headRequest || status / 100 == 1 || status == 204 || status == 304)
            return bodyStart;
    }
    if (chunked)
        return chunkedEnd(buffer, bodyStart);
    if (contentLength >= 0)
        return buffer.size() >= bodyStart + contentLength ? bodyStart + contentLength : incomplete;
    return isRequest ? bodyStart : untilClose;
}

} // namespace

// One client connection and, while a request is forwarded, its connection to the engine.
class FaultProxyConnection : public QObject
{
public:
    FaultProxyConnection(FaultProxy *proxy, QTcpSocket *client)
        : QObject(proxy)
        , m_proxy(proxy)
        , m_client(client)
    {
        m_client->setParent(this);
        connect(m_client, &QTcpSocket::readyRead, this, [this] {
            m_in += m_client->readAll();
            next();
        });
        connect(m_client, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    }

private:
    void next()
    {
        while (!m_busy && m_client->state() == QAbstractSocket::ConnectedState) {
            const qsizetype length = messageLength(m_in, true, false);
            if (length < 0)
                return;
            const QByteArray request = m_in.left(length);
            m_in.remove(0, length);
            const QList<QByteArray> requestLine = request.left(request.indexOf("\r\n")).split(' ');
            const QByteArray method = requestLine.value(0);
            m_rule = m_proxy->ruleFor(method, requestLine.value(1));
            m_head = method == "HEAD";
            switch (m_rule.fault) {
            case FaultProxy::Fault::Drop:
                // Nothing reached the engine.
                m_client->disconnectFromHost();
                return;
            case FaultProxy::Fault::Unavailable: {
                const QByteArray body = R"({"error":"fault proxy: service unavailable"})";
                m_client->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                                "application/json\r\nContent-Length: "
                                + QByteArray::number(body.size()) + "\r\n\r\n" + body);
                continue;
            }
            default: break;
            }
            m_busy = true;
            m_out.clear();
            upstream()->write(request);
        }
    }

    QTcpSocket *upstream()
    {
        if (m_upstream)
            return m_upstream;
        // Written while connecting: QAbstractSocket sends its buffer once connected.
        m_upstream = new QTcpSocket(this);
        connect(m_upstream, &QTcpSocket::readyRead, this, [this] {
            m_out += m_upstream->readAll();
            if (m_rule.fault == FaultProxy::Fault::Pass) {
                m_client->write(m_out.mid(m_passed));
                m_passed = m_out.size();
            }
            const qsizetype length = messageLength(m_out, false, m_head);
            if (length >= 0)
                answered(length);
        });
        connect(m_upstream, &QTcpSocket::disconnected, this, [this] {
            QTcpSocket *gone = m_upstream;
            m_upstream = nullptr;
            gone->deleteLater();
            if (!m_busy)
                return;
            if (messageLength(m_out, false, m_head) == untilClose) {
                // Such an answer ends with the connection, on the client's side too.
                answered(m_out.size());
                m_client->disconnectFromHost();
            } else {
                // The engine went away mid-answer: so does the client's connection.
                m_client->abort();
            }
        });
        connect(m_upstream, &QTcpSocket::errorOccurred, this, [this] {
            if (m_upstream && m_upstream->state() == QAbstractSocket::UnconnectedState && m_busy)
                m_client->abort();
        });
        m_upstream->connectToHost(QHostAddress::LocalHost, m_proxy->m_targetPort);
        return m_upstream;
    }

    // The engine's whole answer (`length` bytes of m_out) is here.
    void answered(qsizetype length)
    {
        const QByteArray answer = m_out.left(length);
        m_out.clear();
        m_passed = 0;
        switch (m_rule.fault) {
        case FaultProxy::Fault::Reset: {
            // An RST, not a FIN: linger 0 before the close.
            const linger hard{1, 0};
            ::setsockopt(int(m_client->socketDescriptor()),
                         SOL_SOCKET,
                         SO_LINGER,
                         &hard,
                         sizeof hard);
            m_client->abort();
            return;
        }
        case FaultProxy::Fault::CutResponse:
            m_client->write(answer.left(qMax<qsizetype>(1, answer.size() / 2)));
            m_client->disconnectFromHost();
            return;
        case FaultProxy::Fault::Delay:
            QTimer::singleShot(m_rule.delayMs, this, [this, answer] {
                m_client->write(answer);
                done();
            });
            return;
        default: done(); return;
        }
    }

    void done()
    {
        m_busy = false;
        QTimer::singleShot(0, this, [this] { next(); });
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream = nullptr;
    QByteArray m_in;
    QByteArray m_out;
    qsizetype m_passed = 0; // bytes of m_out already passed on (Fault::Pass)
    FaultProxy::Rule m_rule;
    bool m_busy = false;
    bool m_head = false;
};

FaultProxy::FaultProxy(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection())
            new FaultProxyConnection(this, socket);
    });
}

FaultProxy::~FaultProxy() = default;

bool FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

quint16 FaultProxy::port() const
{
    return m_server.serverPort();
}

QString FaultProxy::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

void FaultProxy::addRule(const Rule &rule)
{
    m_rules.append(rule);
}

void FaultProxy::reset()
{
    m_rules.clear();
    m_requestCount = 0;
    m_faults = 0;
    m_log.clear();
}

QString FaultProxy::faultName(Fault fault)
{
    switch (fault) {
    case Fault::Pass: return QStringLiteral("pass");
    case Fault::Drop: return QStringLiteral("drop");
    case Fault::Reset: return QStringLiteral("reset");
    case Fault::Delay: return QStringLiteral("delay");
    case Fault::Unavailable: return QStringLiteral("503");
    case Fault::CutResponse: return QStringLiteral("cut");
    }
    return {};
}

FaultProxy::Rule FaultProxy::ruleFor(const QByteArray &method, const QByteArray &target)
{
    const int n = ++m_requestCount;
    const QString line = QString::fromLatin1(method + ' ' + target);
    Rule chosen;
    for (Rule &rule : m_rules) {
        if (rule.times == 0)
            continue;
        const bool matches = rule.nth > 0 ? rule.nth == n
                                          : !rule.pattern.pattern().isEmpty()
                                                && rule.pattern.match(line).hasMatch();
        if (!matches)
            continue;
        if (rule.times > 0)
            --rule.times;
        chosen = rule;
        break;
    }
    if (chosen.fault != Fault::Pass)
        ++m_faults;
    m_log.append(chosen.fault == Fault::Pass
                     ? line.section(u'?', 0, 0)
                     : line.section(u'?', 0, 0) + QStringLiteral(" [%1]").arg(faultName(chosen.fault)));
    return chosen;
}

} // namespace Feedscope::Testing
