// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by tst_badinput and tst_badhttp: the controller's error texts, error-response checks,
// raw HTTP helpers and the fixture that seeds entities and checks after every test row that the
// engine still answers and nothing stored was changed.
#pragma once

#include "enginefixture.h"

#include <QElapsedTimer>
#include <QJsonParseError>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace Feedscope::Testing {

inline const QString malformed = QStringLiteral("The request content was malformed:\n");
inline const QString notFoundRoute = QStringLiteral("The requested resource could not be found.");
inline const QString authMissing = QStringLiteral(
    "The resource requires authentication, which was not supplied with the request");
inline const QString authInvalid = QStringLiteral("The supplied authentication is invalid");
inline const QByteArray challenge = "Basic realm=\"OpenWhisk secure realm\"";
inline constexpr qint64 maxCodeBytes = 48LL * 1024 * 1024; // PROTOCOL.md 1.11, 50331648
inline constexpr qint64 maxPayloadBytes = 1024 * 1024; // PROTOCOL.md 1.11, parameters and payloads

inline QString guestPath(const QString &rest)
{
    return QStringLiteral("/api/v1/namespaces/_/") + rest;
}

inline QString systemPath(const QString &rest)
{
    return QStringLiteral("/api/v1/namespaces/whisk.system/") + rest;
}

inline QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

inline QString shown(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes.left(300));
}

enum class Match { Exact, Prefix };

// Empty when `r` is an error response with this status and message, an {error, code} JSON body
// and code == X-Request-ID (PROTOCOL.md 0 and 1.3); otherwise what is wrong with it.
inline QString errorProblem(const HttpResult &r, int status, const QString &error, Match match)
{
    if (r.status != status) {
        return QStringLiteral("status %1, expected %2 (%3); body: %4")
            .arg(r.status)
            .arg(status)
            .arg(r.networkError, shown(r.body));
    }
    if (!r.header("Content-Type").startsWith("application/json"))
        return QStringLiteral("Content-Type '%1'").arg(QString::fromUtf8(r.header("Content-Type")));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("body is not a JSON object: %1").arg(shown(r.body));
    const QJsonObject o = doc.object();
    if (!o.value(QLatin1String("error")).isString())
        return QStringLiteral("no string 'error' in %1").arg(shown(r.body));
    const QString code = o.value(QLatin1String("code")).toString();
    static const QRegularExpression alphanumeric(QStringLiteral("^[A-Za-z0-9]{32}$"));
    if (!alphanumeric.match(code).hasMatch())
        return QStringLiteral("code '%1' is not 32 alphanumerics").arg(code);
    if (code.toLatin1() != r.header("X-Request-ID")) {
        return QStringLiteral("code '%1' differs from X-Request-ID '%2'")
            .arg(code, QString::fromLatin1(r.header("X-Request-ID")));
    }
    const QString actual = o.value(QLatin1String("error")).toString();
    const bool ok = match == Match::Exact ? actual == error : actual.startsWith(error);
    if (!ok) {
        return QStringLiteral("error '%1', expected %2 '%3'")
            .arg(actual,
                 match == Match::Exact ? QStringLiteral("exactly") : QStringLiteral("prefix"),
                 error);
    }
    return {};
}

// Splits what a raw exchange received into responses, framed by Content-Length (1xx, 204 and
// 304 responses have no body).
inline QList<HttpResult> parseResponses(QByteArray bytes)
{
    QList<HttpResult> responses;
    while (!bytes.isEmpty()) {
        const qsizetype end = bytes.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        const QList<QByteArray> lines = bytes.left(end).split('\n');
        bytes.remove(0, end + 4);
        HttpResult r;
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        if (statusLine.size() < 2 || !statusLine[0].startsWith("HTTP/1."))
            break;
        r.status = statusLine[1].toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.append(
                    {lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
        }
        const bool noBody = r.status < 200 || r.status == 204 || r.status == 304;
        const qsizetype length = noBody ? 0 : r.header("Content-Length").toLongLong();
        r.body = bytes.left(length);
        bytes.remove(0, length);
        responses.append(r);
    }
    return responses;
}

// One raw HTTP/1.1 request as a client would write it, authenticated as guest.
inline QByteArray rawRequest(const QByteArray &method,
                             const QString &path,
                             const QList<QByteArray> &extraHeaders = {},
                             const QByteArray &body = {})
{
    QByteArray out = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     + "Authorization: Basic " + guestKey.toBase64() + "\r\n";
    for (const QByteArray &header : extraHeaders)
        out += header + "\r\n";
    if (!body.isEmpty())
        out += "Content-Type: application/json\r\nContent-Length: "
               + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

// The engine of a bad-input suite, the entities seeded into it and their snapshot.
class BadInputFixture
{
protected:
    struct Snapshot
    {
        QString path;
        QByteArray auth;
        QByteArray body;
    };

    EngineProcess m_engine;
    QList<Snapshot> m_snapshot;

    // Creates an entity for the snapshot; returns false (with a message) if the engine refused.
    bool seed(const QString &path, const QJsonObject &body, const QByteArray &auth)
    {
        const HttpResult r = m_engine.put(path, body, auth);
        if (r.status != 200)
            qWarning("seeding %s failed: %d %s", qPrintable(path), r.status, r.body.constData());
        return r.status == 200;
    }

    // Empty when the engine still runs, answers /ping and holds exactly what was seeded.
    QString damage()
    {
        if (m_engine.process().state() != QProcess::Running) {
            return QStringLiteral("the engine is not running (exit code %1): %2")
                .arg(m_engine.process().exitCode())
                .arg(QString::fromUtf8(m_engine.errorOutput().right(2000)));
        }
        const HttpResult ping = m_engine.get(QStringLiteral("/ping"), {});
        if (ping.status != 200 || ping.body != "pong")
            return QStringLiteral("/ping answered %1 '%2'").arg(ping.status).arg(shown(ping.body));
        for (const Snapshot &s : std::as_const(m_snapshot)) {
            const HttpResult r = m_engine.get(s.path, s.auth);
            if (r.status != 200 || r.body != s.body) {
                return QStringLiteral("%1 changed: now %2 %3, was %4")
                    .arg(s.path)
                    .arg(r.status)
                    .arg(shown(r.body), shown(s.body));
            }
        }
        return {};
    }

    // A raw exchange that must end with the server closing the connection well before the
    // timeout; returns the parsed responses.
    QList<HttpResult> exchangeAndClose(const QByteArray &bytes, bool *closed)
    {
        constexpr int timeoutMs = 5000;
        QElapsedTimer timer;
        timer.start();
        const QByteArray received = m_engine.rawExchange(bytes, timeoutMs);
        *closed = timer.elapsed() < timeoutMs - 500;
        return parseResponses(received);
    }

    // Seeds the entities every suite watches and takes their snapshot (initTestCase).
    void seedAndSnapshot()
    {
        QJsonObject action = nodeAction();
        action.insert(QStringLiteral("parameters"), keyValues({{QStringLiteral("a"), 1}}));
        QVERIFY(seed(guestPath(QStringLiteral("actions/keep-a")), action, guestKey));
        QVERIFY(seed(guestPath(QStringLiteral("packages/keep-p")),
                     {{QStringLiteral("parameters"), keyValues({{QStringLiteral("p"), true}})}},
                     guestKey));
        QVERIFY(seed(guestPath(QStringLiteral("actions/keep-p/inner")), nodeAction(), guestKey));
        QVERIFY(seed(guestPath(QStringLiteral("triggers/keep-t")),
                     {{QStringLiteral("parameters"), keyValues({{QStringLiteral("t"), 2}})}},
                     guestKey));
        QVERIFY(seed(guestPath(QStringLiteral("rules/keep-r")),
                     {{QStringLiteral("trigger"), QStringLiteral("/_/keep-t")},
                      {QStringLiteral("action"), QStringLiteral("/_/keep-a")}},
                     guestKey));
        QVERIFY(seed(systemPath(QStringLiteral("actions/private-a")), nodeAction(), systemKey));
        QVERIFY(seed(systemPath(QStringLiteral("packages/private-p")), {}, systemKey));
        QVERIFY(seed(systemPath(QStringLiteral("actions/private-p/x")), nodeAction(), systemKey));
        QVERIFY(seed(systemPath(QStringLiteral("triggers/private-t")), {}, systemKey));
        QVERIFY(seed(systemPath(QStringLiteral("rules/private-r")),
                     {{QStringLiteral("trigger"), QStringLiteral("/whisk.system/private-t")},
                      {QStringLiteral("action"), QStringLiteral("/whisk.system/private-a")}},
                     systemKey));

        const QList<QPair<QString, QByteArray>> watched{
            {guestPath(QStringLiteral("actions/keep-a")), guestKey},
            {guestPath(QStringLiteral("packages/keep-p")), guestKey},
            {guestPath(QStringLiteral("actions/keep-p/inner")), guestKey},
            {guestPath(QStringLiteral("triggers/keep-t")), guestKey},
            {guestPath(QStringLiteral("rules/keep-r")), guestKey},
            {systemPath(QStringLiteral("actions/private-a")), systemKey},
            {systemPath(QStringLiteral("packages/private-p")), systemKey},
            {systemPath(QStringLiteral("actions/private-p/x")), systemKey},
            {systemPath(QStringLiteral("triggers/private-t")), systemKey},
            {systemPath(QStringLiteral("rules/private-r")), systemKey},
            // Counts catch entities a bad request might have created; no test here may leave
            // an activation behind either.
            {guestPath(QStringLiteral("actions?count=true")), guestKey},
            {guestPath(QStringLiteral("packages?count=true")), guestKey},
            {guestPath(QStringLiteral("triggers?count=true")), guestKey},
            {guestPath(QStringLiteral("rules?count=true")), guestKey},
            {guestPath(QStringLiteral("activations?count=true")), guestKey},
            {systemPath(QStringLiteral("actions?count=true")), systemKey},
            {systemPath(QStringLiteral("triggers?count=true")), systemKey},
            {systemPath(QStringLiteral("rules?count=true")), systemKey},
        };
        for (const auto &[path, auth] : watched) {
            const HttpResult r = m_engine.get(path, auth);
            QVERIFY2(r.status == 200, qPrintable(path));
            m_snapshot.append({path, auth, r.body});
        }
        QCOMPARE(m_engine.get(guestPath(QStringLiteral("activations?count=true"))).object(),
                 QJsonObject({{QStringLiteral("activations"), 0}}));
    }
};

} // namespace Feedscope::Testing

#define VERIFY_ERROR(result, status, error, match) \
    do { \
        const QString problem_ = errorProblem((result), (status), (error), (match)); \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_)); \
    } while (false)
