// SPDX-License-Identifier: GPL-3.0-or-later
// Bad input of every kind (PROTOCOL.md 0, 1.2, 1.3, 1.11 and the controller's texts from
// ErrorResponse.scala and the Pekko rejection handler): each request gets the right status and an
// {error, code} body whose code is the X-Request-ID, the engine keeps answering, and nothing that
// was stored before is changed. cleanup() checks the last two after every test row.
#include "enginefixture.h"

#include <QElapsedTimer>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

using namespace Feedscope::Testing;

namespace {

const QString malformed = QStringLiteral("The request content was malformed:\n");
const QString notFoundRoute = QStringLiteral("The requested resource could not be found.");
const QString authMissing =
    QStringLiteral("The resource requires authentication, which was not supplied with the request");
const QString authInvalid = QStringLiteral("The supplied authentication is invalid");
const QByteArray challenge = "Basic realm=\"OpenWhisk secure realm\"";
constexpr qint64 maxCodeBytes = 48LL * 1024 * 1024; // PROTOCOL.md 1.11, 50331648
constexpr qint64 maxPayloadBytes = 1024 * 1024;     // PROTOCOL.md 1.11, parameters and payloads

QString guestPath(const QString &rest)
{
    return QStringLiteral("/api/v1/namespaces/_/") + rest;
}

QString systemPath(const QString &rest)
{
    return QStringLiteral("/api/v1/namespaces/whisk.system/") + rest;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QString shown(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes.left(300));
}

enum class Match { Exact, Prefix };

// Empty when `r` is an error response with this status and message, an {error, code} JSON body
// and code == X-Request-ID (PROTOCOL.md 0 and 1.3); otherwise what is wrong with it.
QString errorProblem(const HttpResult &r, int status, const QString &error, Match match)
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
QList<HttpResult> parseResponses(QByteArray bytes)
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
QByteArray rawRequest(const QByteArray &method,
                      const QString &path,
                      const QList<QByteArray> &extraHeaders = {},
                      const QByteArray &body = {})
{
    QByteArray out = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                     "Authorization: Basic " + guestKey.toBase64() + "\r\n";
    for (const QByteArray &header : extraHeaders)
        out += header + "\r\n";
    if (!body.isEmpty())
        out +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    return out + "\r\n" + body;
}

} // namespace

#define VERIFY_ERROR(result, status, error, match)                                                 \
    do {                                                                                           \
        const QString problem_ = errorProblem((result), (status), (error), (match));               \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                                        \
    } while (false)

class TestBadInput : public QObject
{
    Q_OBJECT

private:
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
                .arg(QString::fromUtf8(m_engine.process().readAllStandardError().right(2000)));
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

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
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

    void cleanup()
    {
        const QString problem = damage();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // ---- malformed JSON -----------------------------------------------------------------------

    void malformedJson_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");

        const QByteArray broken = R"({"exec": {"kind": "nodejs:20", "code": )";
        QTest::newRow("PUT action")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/new-a")) << broken
            << malformed;
        QTest::newRow("PUT existing action, overwrite")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/keep-a?overwrite=true"))
            << broken << malformed;
        QTest::newRow("PUT trigger")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/new-t"))
            << QByteArray("{\"parameters\": [}") << malformed;
        QTest::newRow("PUT existing trigger, overwrite")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/keep-t?overwrite=true"))
            << QByteArray("{'single': 'quotes'}") << malformed;
        QTest::newRow("PUT package")
            << QByteArray("PUT") << guestPath(QStringLiteral("packages/new-p"))
            << QByteArray("{\"publish\": tru}") << malformed;
        QTest::newRow("PUT rule") << QByteArray("PUT") << guestPath(QStringLiteral("rules/new-r"))
                                  << QByteArray("{\"trigger\": \"/_/keep-t\",,}") << malformed;
        QTest::newRow("POST fire")
            << QByteArray("POST") << guestPath(QStringLiteral("triggers/keep-t"))
            << QByteArray("{\"payload\": ") << malformed;
        QTest::newRow("POST invoke")
            << QByteArray("POST") << guestPath(QStringLiteral("actions/keep-a"))
            << QByteArray("not json at all") << malformed;
        QTest::newRow("POST rule status")
            << QByteArray("POST") << guestPath(QStringLiteral("rules/keep-r"))
            << QByteArray("{\"status\": inactive}") << malformed;
        QTest::newRow("array for action")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/new-a"))
            << QByteArray("[{\"exec\": {}}]") << malformed;
        QTest::newRow("string for trigger")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/new-t"))
            << QByteArray("\"a trigger\"") << malformed;
        QTest::newRow("number for package")
            << QByteArray("PUT") << guestPath(QStringLiteral("packages/new-p")) << QByteArray("42")
            << malformed;
        QTest::newRow("array for fire payload")
            << QByteArray("POST") << guestPath(QStringLiteral("triggers/keep-t"))
            << QByteArray("[1, 2]") << malformed;
        QTest::newRow("string for invoke payload")
            << QByteArray("POST") << guestPath(QStringLiteral("actions/keep-a"))
            << QByteArray("\"x\"") << malformed;
    }

    void malformedJson()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        VERIFY_ERROR(m_engine.request(method, path, body), 400, error, Match::Prefix);
        // A new name stays free (cleanup() checks the existing ones and the counts).
        if (path.contains(QLatin1String("/new-")))
            QCOMPARE(m_engine.get(path).status, 404);
    }

    // ---- wrong types --------------------------------------------------------------------------

    void wrongTypes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("exact");

        const QString action = guestPath(QStringLiteral("actions/new-a"));
        const QString trigger = guestPath(QStringLiteral("triggers/new-t"));
        const QString package = guestPath(QStringLiteral("packages/new-p"));
        const QString rule = guestPath(QStringLiteral("rules/new-r"));
        const QByteArray exec = R"("exec": {"kind": "nodejs:20", "code": "function main(){}"})";

        QTest::newRow("exec a string")
            << action << QByteArray(R"({"exec": "function main(){}"})") << malformed << false;
        QTest::newRow("exec an array")
            << action << QByteArray(R"({"exec": []})") << malformed << false;
        QTest::newRow("exec.kind a number")
            << action << QByteArray(R"({"exec": {"kind": 20, "code": "x"}})")
            << malformed + QStringLiteral("'kind' must be a string defined in 'exec'") << true;
        QTest::newRow("exec.code missing")
            << action << QByteArray(R"({"exec": {"kind": "nodejs:20"}})")
            << malformed +
                   QStringLiteral("'code' must be a string defined in 'exec' for 'nodejs:20' "
                                  "actions")
            << true;
        QTest::newRow("exec.code a number")
            << action << QByteArray(R"({"exec": {"kind": "nodejs:20", "code": 7}})")
            << malformed +
                   QStringLiteral("'code' must be a string defined in 'exec' for 'nodejs:20' "
                                  "actions")
            << true;
        QTest::newRow("unknown kind")
            << action << QByteArray(R"({"exec": {"kind": "cobol:1", "code": "x"}})")
            << malformed + QStringLiteral("kind 'cobol:1' not in Set(") << false;
        QTest::newRow("sequence components not an array")
            << action << QByteArray(R"({"exec": {"kind": "sequence", "components": "/_/keep-a"}})")
            << malformed + QStringLiteral("'components' must be an array") << true;
        QTest::newRow("action parameters an object")
            << action << QByteArray("{" + exec + R"(, "parameters": {"a": 1}})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("trigger parameters a string")
            << trigger << QByteArray(R"({"parameters": "a=1"})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("package parameters a number")
            << package << QByteArray(R"({"parameters": 1})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("parameter without key")
            << trigger << QByteArray(R"({"parameters": [{"value": 1}]})") << malformed << false;
        QTest::newRow("parameter key a number")
            << action << QByteArray("{" + exec + R"(, "parameters": [{"key": 1, "value": 1}]})")
            << malformed << false;
        QTest::newRow("parameter not an object")
            << package << QByteArray(R"({"parameters": [1]})") << malformed << false;
        QTest::newRow("action annotations a string")
            << action << QByteArray("{" + exec + R"(, "annotations": "web-export"})") << malformed
            << false;
        QTest::newRow("trigger annotations a string")
            << trigger << QByteArray(R"({"annotations": "feed"})") << malformed << false;
        QTest::newRow("action publish \"yes\"")
            << action << QByteArray("{" + exec + R"(, "publish": "yes"})") << malformed << false;
        QTest::newRow("package publish \"yes\"")
            << package << QByteArray(R"({"publish": "yes"})") << malformed << false;
        QTest::newRow("trigger publish 1")
            << trigger << QByteArray(R"({"publish": 1})") << malformed << false;
        QTest::newRow("limits.memory \"big\"")
            << action << QByteArray("{" + exec + R"(, "limits": {"memory": "big"}})") << malformed
            << false;
        QTest::newRow("limits.memory below range")
            << action << QByteArray("{" + exec + R"(, "limits": {"memory": 64}})") << malformed
            << false;
        QTest::newRow("limits.timeout above range")
            << action << QByteArray("{" + exec + R"(, "limits": {"timeout": 300001}})") << malformed
            << false;
        QTest::newRow("limits a string")
            << action << QByteArray("{" + exec + R"(, "limits": "small"})") << malformed << false;
        QTest::newRow("version not semver")
            << trigger << QByteArray(R"({"version": "one"})") << malformed << false;
        QTest::newRow("binding a string")
            << package << QByteArray(R"({"binding": "whisk.system/private-p"})") << malformed
            << false;
        QTest::newRow("rule trigger a number")
            << rule << QByteArray(R"({"trigger": 5, "action": "/_/keep-a"})") << malformed << false;
        QTest::newRow("rule action an object")
            << rule << QByteArray(R"({"trigger": "/_/keep-t", "action": {"name": "keep-a"}})")
            << malformed << false;
        // The same bad bodies against existing entities with overwrite=true must not touch them.
        QTest::newRow("overwrite action, kind a number")
            << guestPath(QStringLiteral("actions/keep-a?overwrite=true"))
            << QByteArray(R"({"exec": {"kind": 20, "code": "x"}})")
            << malformed + QStringLiteral("'kind' must be a string defined in 'exec'") << true;
        QTest::newRow("overwrite trigger, parameters an object")
            << guestPath(QStringLiteral("triggers/keep-t?overwrite=true"))
            << QByteArray(R"({"parameters": {"t": 3}})")
            << malformed + QStringLiteral("parameters malformed!") << true;
        QTest::newRow("overwrite rule, trigger a number")
            << guestPath(QStringLiteral("rules/keep-r?overwrite=true"))
            << QByteArray(R"({"trigger": 5})") << malformed << false;
    }

    void wrongTypes()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        QFETCH(bool, exact);
        VERIFY_ERROR(
            m_engine.request("PUT", path, body), 400, error, exact ? Match::Exact : Match::Prefix);
        if (path.contains(QLatin1String("/new-")))
            QCOMPARE(m_engine.get(path).status, 404);
    }

    void ruleStatusOfWrongValue()
    {
        // PROTOCOL.md 1.9: anything but "active"/"inactive" is a 400.
        for (const QByteArray &body : {QByteArray(R"({"status": "paused"})"),
                                       QByteArray(R"({"status": true})"),
                                       QByteArray("{}")}) {
            VERIFY_ERROR(m_engine.request("POST", guestPath(QStringLiteral("rules/keep-r")), body),
                         400,
                         malformed,
                         Match::Prefix);
        }
    }

    // ---- oversize (PROTOCOL.md 1.11) -----------------------------------------------------------

    void oversizeActionCode()
    {
        const QString code(maxCodeBytes + 1, u'x');
        const QString path = guestPath(QStringLiteral("actions/huge-a"));
        const HttpResult r = m_engine.put(path, nodeAction(code));
        VERIFY_ERROR(r,
                     413,
                     QStringLiteral("exec larger than allowed: %1 > %2 bytes.")
                         .arg(maxCodeBytes + 1)
                         .arg(maxCodeBytes),
                     Match::Exact);
        QCOMPARE(m_engine.get(path).status, 404);
    }

    void oversizeActionCodeAtTheLimitIsAccepted()
    {
        // The boundary itself: exactly 48 MB of code is allowed (the limit is "> allowed").
        const QString path = guestPath(QStringLiteral("actions/limit-a"));
        const HttpResult r = m_engine.put(path, nodeAction(QString(maxCodeBytes, u'x')));
        QCOMPARE(r.status, 200);
        QCOMPARE(m_engine.del(path).status, 200);
    }

    void oversizeBodyBeyondTheConnectionLimit()
    {
        // 56 MB is more than any acceptable request (48 MB of code plus framing), so the
        // connection refuses it from its Content-Length; it must still be a JSON 413.
        const QString path = guestPath(QStringLiteral("actions/huger-a"));
        const HttpResult r = m_engine.put(path, nodeAction(QString(56 * 1024 * 1024, u'x')));
        VERIFY_ERROR(r, 413, QString(), Match::Prefix);
        QCOMPARE(m_engine.get(path).status, 404);
    }

    void oversizeParameters_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("field");
        QTest::addColumn<bool>("isAction");

        QTest::newRow("trigger parameters")
            << guestPath(QStringLiteral("triggers/big-t")) << QStringLiteral("parameters") << false;
        QTest::newRow("trigger annotations") << guestPath(QStringLiteral("triggers/big-t"))
                                             << QStringLiteral("annotations") << false;
        QTest::newRow("action parameters")
            << guestPath(QStringLiteral("actions/big-a")) << QStringLiteral("parameters") << true;
        QTest::newRow("package parameters")
            << guestPath(QStringLiteral("packages/big-p")) << QStringLiteral("parameters") << false;
        QTest::newRow("existing trigger parameters, overwrite")
            << guestPath(QStringLiteral("triggers/keep-t?overwrite=true"))
            << QStringLiteral("parameters") << false;
    }

    void oversizeParameters()
    {
        QFETCH(QString, path);
        QFETCH(QString, field);
        QFETCH(bool, isAction);
        QJsonObject body = isAction ? nodeAction() : QJsonObject();
        body.insert(field, keyValues({{QStringLiteral("big"), QString(maxPayloadBytes, u'v')}}));
        const HttpResult r = m_engine.put(path, body);
        VERIFY_ERROR(r, 413, field + QStringLiteral(" larger than allowed: "), Match::Prefix);
        // The controller measures the key/value pairs, the engine may count the JSON framing too:
        // the announced size is above the limit and the limit is exactly 1048576.
        static const QRegularExpression text(QStringLiteral("^\\w+ larger than allowed: (\\d+) > "
                                                            "1048576 bytes\\.$"));
        const QRegularExpressionMatch m = text.match(r.error());
        QVERIFY2(m.hasMatch(), qPrintable(r.error()));
        QVERIFY(m.captured(1).toLongLong() > maxPayloadBytes);
        if (path.contains(QLatin1String("/big-")))
            QCOMPARE(m_engine.get(path).status, 404);
    }

    void oversizePayload_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("fire") << guestPath(QStringLiteral("triggers/keep-t"));
        QTest::newRow("invoke") << guestPath(QStringLiteral("actions/keep-a"));
        QTest::newRow("blocking invoke")
            << guestPath(QStringLiteral("actions/keep-a?blocking=true"));
    }

    void oversizePayload()
    {
        QFETCH(QString, path);
        const QByteArray body = compact({{QStringLiteral("x"), QString(maxPayloadBytes, u'p')}});
        const HttpResult r = m_engine.request("POST", path, body);
        VERIFY_ERROR(r,
                     413,
                     QStringLiteral("Request larger than allowed: %1 > %2 bytes.")
                         .arg(body.size())
                         .arg(maxPayloadBytes),
                     Match::Exact);
        // cleanup() checks that no activation was recorded.
    }

    void hugeContentLengthIsRefusedBeforeTheBody()
    {
        // Only the head is sent: the engine must answer from Content-Length alone and close,
        // instead of waiting for (or buffering) a gigabyte.
        bool closed = false;
        const QList<HttpResult> responses = exchangeAndClose(
            rawRequest("PUT",
                       guestPath(QStringLiteral("actions/gig-a")),
                       {"Content-Type: application/json", "Content-Length: 1073741824"}),
            &closed);
        QVERIFY2(closed, "the engine kept the connection open waiting for the body");
        QCOMPARE(responses.size(), 1);
        VERIFY_ERROR(responses.first(), 413, QString(), Match::Prefix);
    }

    // ---- invalid names in the URL (PROTOCOL.md 0) ----------------------------------------------

    void invalidNames_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("error");

        const QString illegal =
            QStringLiteral("The name of the entity contains illegal characters.");
        const QString tooLong = QStringLiteral("Name segement longer than allowed: 300 > 256.");
        const QString badNs = QStringLiteral("The namespace contains illegal characters.");
        const QString longName(300, u'n');

        QTest::newRow("GET action bad$name")
            << QByteArray("GET") << guestPath(QStringLiteral("actions/bad$name")) << illegal;
        QTest::newRow("PUT action bad$name")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/bad$name")) << illegal;
        QTest::newRow("POST action bad$name")
            << QByteArray("POST") << guestPath(QStringLiteral("actions/bad$name")) << illegal;
        QTest::newRow("PUT action in package bad$pkg")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/bad$pkg/a")) << illegal;
        QTest::newRow("GET trigger -leading")
            << QByteArray("GET") << guestPath(QStringLiteral("triggers/-leading")) << illegal;
        QTest::newRow("PUT trigger -leading")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/-leading")) << illegal;
        QTest::newRow("DELETE rule bad$name")
            << QByteArray("DELETE") << guestPath(QStringLiteral("rules/bad$name")) << illegal;
        QTest::newRow("PUT package trailing space")
            << QByteArray("PUT") << guestPath(QStringLiteral("packages/trailing%20")) << illegal;
        QTest::newRow("GET action 300 chars")
            << QByteArray("GET") << guestPath(QStringLiteral("actions/") + longName) << tooLong;
        QTest::newRow("PUT trigger 300 chars")
            << QByteArray("PUT") << guestPath(QStringLiteral("triggers/") + longName) << tooLong;
        QTest::newRow("PUT rule 300 chars")
            << QByteArray("PUT") << guestPath(QStringLiteral("rules/") + longName) << tooLong;
        QTest::newRow("namespace bad$ns list")
            << QByteArray("GET") << QStringLiteral("/api/v1/namespaces/bad$ns/actions") << badNs;
        QTest::newRow("namespace bad$ns PUT")
            << QByteArray("PUT") << QStringLiteral("/api/v1/namespaces/bad$ns/triggers/t") << badNs;
    }

    void invalidNames()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, error);
        const QByteArray body = method == "PUT" ? compact(nodeAction()) : QByteArray();
        VERIFY_ERROR(m_engine.request(method, path, body), 400, error, Match::Exact);
    }

    // ---- unknown routes and methods -------------------------------------------------------------

    void unknownRoutes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("auth");

        QTest::newRow("/nope") << QStringLiteral("/nope") << QByteArray();
        QTest::newRow("/api/v2/x") << QStringLiteral("/api/v2/x") << QByteArray();
        QTest::newRow("/api/v1/nope") << QStringLiteral("/api/v1/nope") << guestKey;
        QTest::newRow("unknown collection")
            << QStringLiteral("/api/v1/namespaces/_/widgets") << guestKey;
        QTest::newRow("too deep under actions")
            << QStringLiteral("/api/v1/namespaces/_/actions/keep-p/inner/more") << guestKey;
        QTest::newRow("too deep under triggers")
            << QStringLiteral("/api/v1/namespaces/_/triggers/keep-t/x") << guestKey;
    }

    void unknownRoutes()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, auth);
        VERIFY_ERROR(m_engine.get(path, auth), 404, notFoundRoute, Match::Exact);
    }

    void wrongMethods_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("allowed");

        QTest::newRow("PATCH action")
            << QByteArray("PATCH") << guestPath(QStringLiteral("actions/keep-a"))
            << QStringList{QStringLiteral("PUT"),
                           QStringLiteral("GET"),
                           QStringLiteral("DELETE"),
                           QStringLiteral("POST")};
        QTest::newRow("POST package")
            << QByteArray("POST") << guestPath(QStringLiteral("packages/keep-p"))
            << QStringList{QStringLiteral("PUT"), QStringLiteral("GET"), QStringLiteral("DELETE")};
        QTest::newRow("DELETE activations")
            << QByteArray("DELETE") << guestPath(QStringLiteral("activations"))
            << QStringList{QStringLiteral("GET")};
        QTest::newRow("PUT actions collection")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions"))
            << QStringList{QStringLiteral("GET")};
        QTest::newRow("POST limits") << QByteArray("POST") << guestPath(QStringLiteral("limits"))
                                     << QStringList{QStringLiteral("GET")};
    }

    void wrongMethods()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QStringList, allowed);
        const HttpResult r = m_engine.request(method, path);
        const QString prefix = QStringLiteral("HTTP method not allowed, supported methods: ");
        VERIFY_ERROR(r, 405, prefix, Match::Prefix);
        // The controller also lists OPTIONS; the methods of the route must all be named.
        const QStringList named = r.error().mid(prefix.size()).split(QStringLiteral(", "));
        for (const QString &m : std::as_const(allowed))
            QVERIFY2(named.contains(m), qPrintable(r.error()));
    }

    void methodNotAllowedSendsAllow()
    {
        // Pekko's MethodRejection response carries an Allow header (ow-facts 0; RFC 9110 15.5.6
        // makes it a MUST for 405).
        const HttpResult r = m_engine.request("PATCH", guestPath(QStringLiteral("actions/keep-a")));
        QCOMPARE(r.status, 405);
        const QByteArray allow = r.header("Allow");
        QVERIFY2(!allow.isEmpty(), "no Allow header on 405");
        for (const char *m : {"PUT", "GET", "DELETE", "POST"})
            QVERIFY2(allow.contains(m), allow.constData());
    }

    // ---- HTTP framing -------------------------------------------------------------------------

    void malformedHttp_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");

        QTest::newRow("garbage request line") << QByteArray("GARBAGE\r\n\r\n") << 400;
        QTest::newRow("no version") << QByteArray("GET /ping\r\n\r\n") << 400;
        QTest::newRow("not HTTP") << QByteArray("GET /ping SPDY/3\r\n\r\n") << 400;
        QTest::newRow("header without colon")
            << QByteArray("GET /ping HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n") << 400;
        QTest::newRow("bad Content-Length")
            << QByteArray("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n") << 400;
        QTest::newRow("negative Content-Length")
            << QByteArray("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n") << 400;
        QTest::newRow("bad chunk size") << rawRequest("PUT",
                                                      guestPath(QStringLiteral("triggers/chunky")),
                                                      {"Transfer-Encoding: chunked"}) +
                                               "zz\r\n{}\r\n0\r\n\r\n"
                                        << 400;
        QTest::newRow("header block over 64 KB")
            << QByteArray("GET /ping HTTP/1.1\r\nX-Filler: " + QByteArray(70000, 'f') + "\r\n\r\n")
            << 431;
    }

    void malformedHttp()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        bool closed = false;
        const QList<HttpResult> responses = exchangeAndClose(bytes, &closed);
        QVERIFY2(closed, "the connection stayed open after a malformed request");
        QCOMPARE(responses.size(), 1);
        VERIFY_ERROR(responses.first(), status, QString(), Match::Prefix);
        QCOMPARE(responses.first().header("Connection"), QByteArray("close"));
    }

    void chunkedBodyIsAccepted()
    {
        const QString path = guestPath(QStringLiteral("triggers/chunked-t"));
        const QByteArray body = R"({"parameters":[{"key":"via","value":"chunks"}]})";
        QByteArray chunked;
        for (qsizetype at = 0; at < body.size(); at += 10) {
            const QByteArray piece = body.mid(at, 10);
            // The first chunk carries an extension, which a server must ignore.
            chunked += QByteArray::number(piece.size(), 16) + (at == 0 ? ";ext=1" : "") + "\r\n" +
                       piece + "\r\n";
        }
        chunked += "0\r\n\r\n";
        bool closed = false;
        const QList<HttpResult> responses =
            exchangeAndClose(rawRequest("PUT",
                                        path,
                                        {"Content-Type: application/json",
                                         "Transfer-Encoding: chunked",
                                         "Connection: close"}) +
                                 chunked,
                             &closed);
        QVERIFY(closed);
        QCOMPARE(responses.size(), 1);
        QCOMPARE(responses.first().status, 200);
        const HttpResult stored = m_engine.get(path);
        QCOMPARE(stored.status, 200);
        QCOMPARE(stored.object().value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("via"), QStringLiteral("chunks")}}));
        QCOMPARE(m_engine.del(path).status, 200);
    }

    void expectContinue()
    {
        // A client that sends Expect: 100-continue waits for the interim response before the
        // body; so does this one.
        const QString path = guestPath(QStringLiteral("triggers/expect-t"));
        const QByteArray body = R"({"parameters":[{"key":"k","value":1}]})";
        const QUrl url(m_engine.baseUrl());
        QTcpSocket socket;
        socket.connectToHost(url.host(), quint16(url.port()));
        QVERIFY(socket.waitForConnected(3000));
        socket.write(rawRequest("PUT",
                                path,
                                {"Content-Type: application/json",
                                 "Expect: 100-continue",
                                 "Connection: close",
                                 "Content-Length: " + QByteArray::number(body.size())}));
        QByteArray received;
        QDeadlineTimer deadline(3000);
        while (!received.contains("\r\n\r\n") && !deadline.hasExpired()) {
            if (socket.waitForReadyRead(100))
                received += socket.readAll();
        }
        QCOMPARE(received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"));
        socket.write(body);
        deadline.setRemainingTime(3000);
        while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            if (socket.waitForReadyRead(100))
                received += socket.readAll();
        }
        received += socket.readAll();
        const QList<HttpResult> responses = parseResponses(received);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses[0].status, 100);
        QCOMPARE(responses[1].status, 200);
        QCOMPARE(m_engine.get(path).object().value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("k"), 1}}));
        QCOMPARE(m_engine.del(path).status, 200);
    }

    void pipelinedRequests()
    {
        // Two requests in one write on one keep-alive connection: two responses, in order.
        const QByteArray two = "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n"
                               "GET /api/v1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        bool closed = false;
        QList<HttpResult> responses = exchangeAndClose(two, &closed);
        QVERIFY(closed);
        QCOMPARE(responses.size(), 2);
        QCOMPARE(responses[0].status, 200);
        QCOMPARE(responses[0].body, QByteArray("pong"));
        QCOMPARE(responses[0].header("Connection"), QByteArray("keep-alive"));
        QCOMPARE(responses[1].status, 200);
        QCOMPARE(responses[1].object().value(QLatin1String("api_version_path")).toString(),
                 QStringLiteral("v1"));
        QVERIFY(responses[0].header("X-Request-ID") != responses[1].header("X-Request-ID"));

        // A write then a read of the same entity, an error between them: the read sees the write
        // (the second request is not handled before the first is answered).
        const QString path = guestPath(QStringLiteral("triggers/pipe-t"));
        const QByteArray three =
            rawRequest("PUT", path, {}, R"({"parameters":[{"key":"n","value":1}]})") +
            rawRequest("GET", guestPath(QStringLiteral("widgets"))) +
            rawRequest("GET", path, {"Connection: close"});
        responses = exchangeAndClose(three, &closed);
        QVERIFY(closed);
        QCOMPARE(responses.size(), 3);
        QCOMPARE(responses[0].status, 200);
        VERIFY_ERROR(responses[1], 404, notFoundRoute, Match::Exact);
        QCOMPARE(responses[2].status, 200);
        QCOMPARE(responses[2].object().value(QLatin1String("parameters")).toArray(),
                 keyValues({{QStringLiteral("n"), 1}}));
        QCOMPARE(m_engine.del(path).status, 200);
    }

    // ---- authentication (PROTOCOL.md 1.2) -------------------------------------------------------

    void missingAuth_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");

        QTest::newRow("list namespaces")
            << QByteArray("GET") << QStringLiteral("/api/v1/namespaces") << QByteArray();
        QTest::newRow("GET action")
            << QByteArray("GET") << guestPath(QStringLiteral("actions/keep-a")) << QByteArray();
        QTest::newRow("PUT action")
            << QByteArray("PUT") << guestPath(QStringLiteral("actions/new-a"))
            << compact(nodeAction());
        QTest::newRow("DELETE trigger")
            << QByteArray("DELETE") << guestPath(QStringLiteral("triggers/keep-t")) << QByteArray();
        QTest::newRow("fire") << QByteArray("POST") << guestPath(QStringLiteral("triggers/keep-t"))
                              << QByteArray("{}");
        QTest::newRow("list activations")
            << QByteArray("GET") << guestPath(QStringLiteral("activations")) << QByteArray();
    }

    void missingAuth()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        const HttpResult r = m_engine.request(method, path, body, {});
        VERIFY_ERROR(r, 401, authMissing, Match::Exact);
        QCOMPARE(r.header("WWW-Authenticate"), challenge);
    }

    void invalidAuth_data()
    {
        QTest::addColumn<QByteArray>("authorization");

        const QByteArray uuid = guestKey.left(guestKey.indexOf(':'));
        QTest::newRow("wrong key") << "Basic " + QByteArray(uuid + ":wrong").toBase64();
        QTest::newRow("unknown uuid")
            << "Basic " +
                   QByteArray("00000000-0000-0000-0000-000000000000" + guestKey.mid(uuid.size()))
                       .toBase64();
        QTest::newRow("system uuid, guest key")
            << "Basic " +
                   QByteArray(systemKey.left(systemKey.indexOf(':')) + guestKey.mid(uuid.size()))
                       .toBase64();
        QTest::newRow("not base64") << QByteArray("Basic !!!not*base64***");
        QTest::newRow("no colon") << "Basic " + QByteArray("justauser").toBase64();
        QTest::newRow("empty credentials") << QByteArray("Basic ");
        QTest::newRow("bearer") << QByteArray("Bearer x");
        QTest::newRow("raw key without scheme") << guestKey;
    }

    void invalidAuth()
    {
        QFETCH(QByteArray, authorization);
        const HttpResult r = m_engine.request("GET",
                                              guestPath(QStringLiteral("actions/keep-a")),
                                              {},
                                              {},
                                              {{"Authorization", authorization}});
        VERIFY_ERROR(r, 401, authInvalid, Match::Exact);
        QCOMPARE(r.header("WWW-Authenticate"), challenge);
        // Writes are refused the same way.
        VERIFY_ERROR(m_engine.request("PUT",
                                      guestPath(QStringLiteral("actions/new-a")),
                                      compact(nodeAction()),
                                      {},
                                      {{"Authorization", authorization}}),
                     401,
                     authInvalid,
                     Match::Exact);
    }

    // ---- another namespace's private entities (PROTOCOL.md 1.3, 403) ----------------------------

    void otherNamespacePrivate_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("resource");

        const QByteArray action = compact(nodeAction());
        struct Case
        {
            const char *collection;
            const char *name;
            QByteArray putBody;
            QByteArray postBody; // empty: no POST on this collection
        };
        const Case cases[] = {
            {"actions", "private-a", action, "{}"},
            {"actions", "missing-a", action, "{}"},
            {"triggers", "private-t", "{}", "{}"},
            {"rules",
             "private-r",
             R"({"trigger": "/whisk.system/private-t", "action": "/whisk.system/private-a"})",
             R"({"status": "inactive"})"},
            {"packages", "private-p", "{}", {}},
        };
        for (const Case &c : cases) {
            const QString rest = QLatin1String(c.collection) + u'/' + QLatin1String(c.name);
            const QString path = systemPath(rest);
            const QString resource = QStringLiteral("whisk.system/") + QLatin1String(c.name);
            const QByteArray tag = QByteArray(c.collection) + '/' + c.name;
            QTest::newRow(QByteArray("GET " + tag).constData())
                << QByteArray("GET") << path << QByteArray() << resource;
            QTest::newRow(QByteArray("PUT " + tag).constData())
                << QByteArray("PUT") << path << c.putBody << resource;
            QTest::newRow(QByteArray("PUT overwrite " + tag).constData())
                << QByteArray("PUT") << path + QStringLiteral("?overwrite=true") << c.putBody
                << resource;
            QTest::newRow(QByteArray("DELETE " + tag).constData())
                << QByteArray("DELETE") << path << QByteArray() << resource;
            if (!c.postBody.isEmpty()) {
                QTest::newRow(QByteArray("POST " + tag).constData())
                    << QByteArray("POST") << path << c.postBody << resource;
            }
        }
        QTest::newRow("GET packaged action")
            << QByteArray("GET") << systemPath(QStringLiteral("actions/private-p/x"))
            << QByteArray() << QStringLiteral("whisk.system/private-p/x");
        QTest::newRow("invoke packaged action")
            << QByteArray("POST") << systemPath(QStringLiteral("actions/private-p/x"))
            << QByteArray("{}") << QStringLiteral("whisk.system/private-p/x");
        for (const char *collection : {"actions", "triggers", "rules", "activations"}) {
            QTest::newRow(QByteArray(QByteArray("list ") + collection).constData())
                << QByteArray("GET") << systemPath(QLatin1String(collection)) << QByteArray()
                << QStringLiteral("whisk.system");
        }
    }

    void otherNamespacePrivate()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, resource);
        VERIFY_ERROR(m_engine.request(method, path, body),
                     403,
                     QStringLiteral("The supplied authentication is not authorized to access "
                                    "'%1'.")
                         .arg(resource),
                     Match::Exact);
    }

    void otherNamespacePackageListHidesPrivatePackages()
    {
        // Listing another namespace's packages is allowed but shows only published ones (1.4).
        const HttpResult r = m_engine.get(systemPath(QStringLiteral("packages")));
        QCOMPARE(r.status, 200);
        for (const QJsonValue &p : r.array())
            QVERIFY(p.toObject().value(QLatin1String("name")).toString() != u"private-p");
    }

    // ---- the end --------------------------------------------------------------------------------

    void storedEntitiesSurvivedEverything()
    {
        // cleanup() compared after every row; this makes the final state explicit in the log.
        const QString problem = damage();
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(m_engine.get(guestPath(QStringLiteral("activations?count=true"))).object(),
                 QJsonObject({{QStringLiteral("activations"), 0}}));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
