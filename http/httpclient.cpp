// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpclient.h"

#include "httpbody.h"

#include <QSslSocket>
#include <QTimer>

namespace Feedscope::Http {

namespace {

// Idle connections are closed before servers usually drop them (nginx: 75 s), so a request is
// rarely written into a connection the server is closing.
constexpr int idleCloseMs = 30000;
constexpr qsizetype maxHeadBytes = 64 * 1024;

} // namespace

QByteArray ClientResponse::header(const QByteArray &lowerCaseName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerCaseName)
            return h.second;
    }
    return {};
}

// One connection of the pool: one request at a time, answered from its own parse of the
// response (status line, headers, a body by length, chunks or close).
class ClientConnection : public QObject
{
public:
    ClientConnection(ClientPool *pool)
        : QObject(pool)
        , m_pool(pool)
        , m_socket(pool->m_origin.scheme() == u"https" ? new QSslSocket(this)
                                                       : new QTcpSocket(this))
    {
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            if (m_job.done)
                fail(QStringLiteral("no answer in time"), true);
            else
                close();
        });
        connect(m_socket, &QTcpSocket::readyRead, this, &ClientConnection::onReadyRead);
        connect(m_socket, &QTcpSocket::disconnected, this, &ClientConnection::onClosed);
        connect(m_socket, &QAbstractSocket::errorOccurred, this, &ClientConnection::onClosed);
        const QUrl &origin = pool->m_origin;
        if (auto *ssl = qobject_cast<QSslSocket *>(m_socket)) {
            connect(ssl, &QSslSocket::encrypted, this, &ClientConnection::onReady);
            ssl->connectToHostEncrypted(origin.host(), quint16(origin.port(443)));
        } else {
            connect(m_socket, &QTcpSocket::connected, this, &ClientConnection::onReady);
            m_socket->connectToHost(origin.host(), quint16(origin.port(80)));
        }
    }

    void start(ClientPool::Job job)
    {
        m_job = std::move(job);
        m_response = ClientResponse();
        m_inBody = false;
        const ClientRequest &r = m_job.request;
        m_out = r.method + ' ' + (r.target.isEmpty() ? QByteArray("/") : r.target)
                + " HTTP/1.1\r\nHost: " + m_pool->m_hostHeader + "\r\n";
        for (const auto &h : r.headers) {
            const QByteArray name = h.first.toLower();
            if (name != "host" && name != "content-length" && name != "connection"
                && name != "transfer-encoding")
                m_out += h.first + ": " + h.second + "\r\n";
        }
        m_out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body;
        m_timer.start(m_pool->m_timeoutMs);
        if (m_ready)
            m_socket->write(m_out);
    }

private:
    void onReady()
    {
        m_ready = true;
        // Small requests: out at once rather than after Nagle's delayed ACK.
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        if (m_job.done)
            m_socket->write(m_out);
    }

    void onReadyRead()
    {
        m_buffer.append(m_socket->readAll());
        if (!m_job.done) {
            close(); // nothing was asked: the stream is out of step
            return;
        }
        if (!m_inBody && !parseHead())
            return;
        QByteArray &body = m_response.body;
        switch (m_body.feed(m_buffer, body, m_pool->m_maxResponseBytes)) {
        case BodyDecoder::Status::NeedMore: return;
        case BodyDecoder::Status::Done: complete(); return;
        case BodyDecoder::Status::Malformed:
            fail(QStringLiteral("malformed response body"));
            return;
        case BodyDecoder::Status::TooLarge: fail(QStringLiteral("response too large")); return;
        }
    }

    // True once the head is parsed and the body can be read.
    bool parseHead()
    {
        for (;;) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > maxHeadBytes)
                    fail(QStringLiteral("response head too large"));
                return false;
            }
            const QList<QByteArray> lines = m_buffer.left(end).split('\n');
            m_buffer.remove(0, end + 4);
            const QList<QByteArray> status = lines.first().trimmed().split(' ');
            bool ok = false;
            m_response.status = status.value(1).toInt(&ok);
            if (!status.first().startsWith("HTTP/1.") || !ok) {
                fail(QStringLiteral("malformed response"));
                return false;
            }
            m_keepAlive = status.first() != "HTTP/1.0";
            if (m_response.status >= 100 && m_response.status < 200)
                continue; // an interim answer: the real one follows
            m_response.headers.clear();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    m_response.headers.append({lines[i].left(colon).trimmed().toLower(),
                                               lines[i].mid(colon + 1).trimmed()});
            }
            const QByteArray connection = m_response.header("connection").toLower();
            if (connection.contains("close"))
                m_keepAlive = false;
            else if (connection.contains("keep-alive"))
                m_keepAlive = true;
            const int code = m_response.status;
            if (m_job.request.method == "HEAD" || code == 204 || code == 304)
                m_body.startLength(0);
            else if (m_response.header("transfer-encoding").toLower().contains("chunked"))
                m_body.startChunked();
            else if (const QByteArray length = m_response.header("content-length");
                     !length.isNull())
                m_body.startLength(length.toLongLong());
            else {
                m_body.startUntilClose();
                m_keepAlive = false;
            }
            m_inBody = true;
            return true;
        }
    }

    void complete()
    {
        ClientPool::Callback done = std::move(m_job.done);
        m_job = {};
        ClientResponse response = std::move(m_response);
        m_inBody = false;
        m_timer.start(idleCloseMs);
        if (m_keepAlive && m_buffer.isEmpty())
            m_pool->onIdle(this);
        else
            close();
        done(std::move(response));
    }

    void fail(const QString &error, bool timedOut = false)
    {
        ClientPool::Callback done = std::move(m_job.done);
        m_job = {};
        close();
        if (!done)
            return;
        ClientResponse response;
        response.error = error;
        response.timedOut = timedOut;
        done(std::move(response));
    }

    void onClosed()
    {
        if (m_closed)
            return;
        if (m_job.done && m_inBody && m_body.finish() == BodyDecoder::Status::Done) {
            m_buffer.append(m_socket->readAll());
            m_body.feed(m_buffer, m_response.body, m_pool->m_maxResponseBytes);
            m_keepAlive = false;
            complete();
            return;
        }
        fail(m_socket->error() == QAbstractSocket::RemoteHostClosedError
                     || m_socket->errorString().isEmpty()
                 ? QStringLiteral("the connection closed before the answer")
                 : m_socket->errorString());
    }

    void close()
    {
        if (m_closed)
            return;
        m_closed = true;
        m_timer.stop();
        m_socket->disconnect(this);
        m_socket->abort();
        m_pool->onClosed(this);
        deleteLater();
    }

    ClientPool *m_pool;
    QTcpSocket *m_socket;
    QTimer m_timer;
    ClientPool::Job m_job;
    QByteArray m_out;
    QByteArray m_buffer;
    ClientResponse m_response;
    BodyDecoder m_body;
    bool m_ready = false; // connected (and encrypted, for https)
    bool m_inBody = false;
    bool m_keepAlive = true;
    bool m_closed = false;
};

ClientPool::ClientPool(const QUrl &origin, QObject *parent)
    : QObject(parent)
    , m_origin(origin)
{
    m_hostHeader = origin.host(QUrl::FullyEncoded).toLatin1();
    if (origin.port() > 0)
        m_hostHeader += ':' + QByteArray::number(origin.port());
}

ClientPool::~ClientPool() = default;

void ClientPool::send(ClientRequest request, Callback done)
{
    m_queue.push_back(Job{std::move(request), std::move(done)});
    pump();
}

void ClientPool::pump()
{
    while (!m_queue.empty()) {
        ClientConnection *connection = nullptr;
        if (!m_idle.isEmpty())
            connection = m_idle.takeLast(); // the most recently used: the likeliest alive
        else if (m_connections.size() < m_maxConnections)
            connection = m_connections.emplace_back(new ClientConnection(this));
        else
            return;
        Job job = std::move(m_queue.front());
        m_queue.pop_front();
        connection->start(std::move(job));
    }
}

void ClientPool::onIdle(ClientConnection *connection)
{
    m_idle.append(connection);
    pump();
}

void ClientPool::onClosed(ClientConnection *connection)
{
    m_idle.removeOne(connection);
    m_connections.removeOne(connection);
    // Later: a replacement is not opened from inside the failing connection's handlers.
    QMetaObject::invokeMethod(this, &ClientPool::pump, Qt::QueuedConnection);
}

} // namespace Feedscope::Http
