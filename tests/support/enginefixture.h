// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace Feedscope::Testing {

inline const QByteArray guestKey
    = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:"
      "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";
inline const QByteArray systemKey
    = "789c46b1-71f6-4ed5-8c54-816aa4f8c502:"
      "abczO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";

// One HTTP exchange with the engine.
struct HttpResult
{
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;

    QByteArray header(const QByteArray &name) const;
    QJsonObject object() const { return QJsonDocument::fromJson(body).object(); }
    QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    // The `error` text of an {error, code} body.
    QString error() const { return object().value(QLatin1String("error")).toString(); }
};

// A feedscope-engine child process on an ephemeral port with its own temporary data directory,
// plus a synchronous HTTP client for tests. The process is killed when the fixture dies.
//
// The engine's stderr, and whatever it prints on stdout after its start-up banner, are kept in
// a log file under engineLogDirectory() (one per start), so tst_nokeysinlogs can prove after a
// test run that no key ever reached them.
class EngineProcess
{
public:
    EngineProcess();
    ~EngineProcess();

    // Starts the engine; `extraArgs` are appended to --port 0 --data <tmp>. Returns false (and
    // sets errorString) if it did not print its listening line in time.
    bool start(const QStringList &extraArgs = {});
    // Stops it gracefully (SIGTERM) and waits; the data directory stays for a restart.
    void stop();
    // Kills it without warning, as a crash would.
    void kill();

    QString baseUrl() const { return m_baseUrl; }
    QString dataDirectory() const { return m_dataDir.path(); }
    QString errorString() const { return m_error; }
    QProcess &process() { return *m_process; }
    // The engine's stderr so far (for failure messages), and the file it goes to.
    QByteArray errorOutput() const;
    // Everything the engine printed on stdout so far, banner included.
    QByteArray standardOutput();
    QString logPath() const { return m_logPath; }

    // `path` is appended to the base URL; `auth` is "uuid:key" (empty = none).
    HttpResult request(const QByteArray &method,
                       const QString &path,
                       const QByteArray &body = {},
                       const QByteArray &auth = guestKey,
                       const QList<QPair<QByteArray, QByteArray>> &headers = {});
    HttpResult get(const QString &path, const QByteArray &auth = guestKey)
    {
        return request("GET", path, {}, auth);
    }
    HttpResult put(const QString &path, const QJsonObject &body, const QByteArray &auth = guestKey)
    {
        return request("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact), auth);
    }
    HttpResult
    post(const QString &path, const QJsonObject &body = {}, const QByteArray &auth = guestKey)
    {
        return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), auth);
    }
    HttpResult del(const QString &path, const QByteArray &auth = guestKey)
    {
        return request("DELETE", path, {}, auth);
    }

    // Writes raw bytes on a fresh TCP connection and returns everything read until the server
    // closes it or `timeoutMs` passes (for malformed-HTTP tests).
    QByteArray rawExchange(const QByteArray &bytes, int timeoutMs = 3000);

private:
    void keepStdoutAfterBanner();
    void dropEmptyLog();

    QTemporaryDir m_dataDir;
    std::unique_ptr<QProcess> m_process;
    QNetworkAccessManager m_network;
    QString m_baseUrl;
    QString m_error;
    QString m_logPath;
    QByteArray m_stdout; // read so far
    bool m_bannerRead = false;
};

// Where every EngineProcess keeps its engine's log (build/Testing/Temporary/engine-logs).
QString engineLogDirectory();

// Shorthands for entity bodies.
QJsonObject nodeAction(const QString &code = QStringLiteral("function main(p) { return p; }"));
QJsonArray keyValues(const QJsonObject &object);

} // namespace Feedscope::Testing
