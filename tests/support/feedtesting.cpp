// SPDX-License-Identifier: GPL-3.0-or-later
#include "feedtesting.h"

#include "serviceprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

namespace Feedscope::Testing {

QString api(const QString &tail)
{
    return QStringLiteral("/api/v1/namespaces/_/") + tail;
}

QString encoded(const QString &path)
{
    QStringList parts = path.split(u'/');
    for (QString &part : parts)
        part = QString::fromLatin1(QUrl::toPercentEncoding(part));
    return parts.join(u'/');
}

QString actionPath(const QString &name, const QString &ns)
{
    return QStringLiteral("/api/v1/namespaces/") + ns + QStringLiteral("/actions/") + encoded(name);
}

QString packagePath(const QString &name, const QString &ns)
{
    return QStringLiteral("/api/v1/namespaces/") + ns + QStringLiteral("/packages/")
           + encoded(name);
}

QString activationPath(const QString &id)
{
    return QStringLiteral("/api/v1/namespaces/_/activations/") + id;
}

QJsonObject kv(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), value}};
}

QJsonValue keyValue(const QJsonObject &doc, const QString &field, const QString &key)
{
    for (const QJsonValue &pair : doc.value(field).toArray()) {
        if (pair.toObject().value(QLatin1String("key")).toString() == key)
            return pair.toObject().value(QLatin1String("value"));
    }
    return QJsonValue(QJsonValue::Undefined);
}

QJsonValue annotation(const QJsonObject &doc, const QString &key)
{
    return keyValue(doc, QStringLiteral("annotations"), key);
}

bool ok(const HttpResult &r, const char *what)
{
    if (r.status >= 200 && r.status < 300)
        return true;
    qWarning("%s: %d %s", what, r.status, r.body.constData());
    return false;
}

QJsonObject
createAction(EngineProcess &e, const QString &name, const QJsonObject &body, const QByteArray &auth)
{
    const HttpResult r = e.put(actionPath(name), body, auth);
    if (r.status != 200)
        qWarning("creating action %s: %d %s", qPrintable(name), r.status, r.body.constData());
    return r.status == 200 ? r.object() : QJsonObject();
}

bool createPackage(EngineProcess &e,
                   const QString &name,
                   const QJsonObject &body,
                   const QByteArray &auth)
{
    const HttpResult r = e.put(packagePath(name), body, auth);
    if (r.status != 200)
        qWarning("creating package %s: %d %s", qPrintable(name), r.status, r.body.constData());
    return r.status == 200;
}

bool waitFor(const std::function<bool()> &condition, int deadlineMs)
{
    QDeadlineTimer deadline(deadlineMs);
    while (!deadline.hasExpired()) {
        if (condition())
            return true;
        QTest::qWait(100);
    }
    return condition();
}

QJsonArray activationsOf(EngineProcess &e, const QString &name)
{
    return e.get(api(QStringLiteral("activations?docs=true&limit=200&name=") + name)).array();
}

QJsonObject responseOf(const QJsonValue &activation)
{
    return activation.toObject().value(QLatin1String("response")).toObject();
}

QJsonObject resultOf(const QJsonValue &activation)
{
    return responseOf(activation).value(QLatin1String("result")).toObject();
}

QString statusOf(const QJsonValue &activation)
{
    return responseOf(activation).value(QLatin1String("status")).toString();
}

QString errorOf(const QJsonValue &activation)
{
    return resultOf(activation).value(QLatin1String("error")).toString();
}

QStringList logsOf(const QJsonValue &activation)
{
    QStringList lines;
    for (const QJsonValue &line : activation.toObject().value(QLatin1String("logs")).toArray())
        lines.append(line.toString());
    return lines;
}

bool FeedCall::success() const
{
    return activation.value(QLatin1String("response"))
        .toObject()
        .value(QLatin1String("success"))
        .toBool();
}

QJsonObject FeedCall::result() const
{
    return resultOf(activation);
}

QString FeedCall::error() const
{
    const QJsonValue e = result().value(QLatin1String("error"));
    return e.isObject() ? e.toObject().value(QLatin1String("error")).toString() : e.toString();
}

QString FeedCall::describe() const
{
    return QStringLiteral("HTTP %1 %2").arg(status).arg(QString::fromUtf8(body));
}

FeedCall invokeSystemFeed(EngineProcess &e,
                          const QString &feedAction,
                          const QString &event,
                          const QString &trigger,
                          QJsonObject params,
                          const QByteArray &authKey,
                          const QByteArray &caller)
{
    params.insert(QStringLiteral("lifecycleEvent"), event);
    params.insert(QStringLiteral("triggerName"), QString(QStringLiteral("/_/") + trigger));
    params.insert(QStringLiteral("authKey"), QString::fromLatin1(authKey));
    const HttpResult r = e.post(QStringLiteral("/api/v1/namespaces/whisk.system/actions/")
                                    + feedAction + QStringLiteral("?blocking=true"),
                                params,
                                caller);
    return FeedCall{r.status, r.object(), r.body};
}

namespace {

// PUTs the trigger (with `annotations`), then the echo action and its rule unless `action` is "".
bool putTrigger(EngineProcess &e,
                const QString &trigger,
                const QJsonArray &annotations,
                const QString &action)
{
    if (!ok(e.put(
                api(QStringLiteral("triggers/") + trigger + QStringLiteral("?overwrite=false")),
                {{QStringLiteral("name"), trigger}, {QStringLiteral("annotations"), annotations}}),
            "trigger")) {
        return false;
    }
    if (action.isEmpty())
        return true;
    if (!ok(e.put(api(QStringLiteral("actions/") + action), nodeAction()), "action"))
        return false;
    return ok(e.put(api(QStringLiteral("rules/r_") + trigger),
                    {{QStringLiteral("trigger"), QString(QStringLiteral("/_/") + trigger)},
                     {QStringLiteral("action"), QString(QStringLiteral("/_/") + action)}}),
              "rule");
}

} // namespace

bool setUpTrigger(EngineProcess &e, const QString &trigger, const QString &action)
{
    return putTrigger(e, trigger, {}, action);
}

bool setUpFeedTrigger(EngineProcess &e,
                      const QString &trigger,
                      const QString &feed,
                      const QString &action)
{
    return putTrigger(e, trigger, QJsonArray{kv(QStringLiteral("feed"), feed)}, action);
}

QJsonObject wrappedAlarmFeed(const QString &wrapper, const QString &entry)
{
    QFile file(QStringLiteral(FEEDSCOPE_RESOURCES_DIR "/catalog/providerfeed/feed.js"));
    if (!file.open(QIODevice::ReadOnly))
        qWarning("cannot read %s", qPrintable(file.fileName()));
    QJsonObject body = nodeAction(QString::fromUtf8(file.readAll()) + u'\n' + wrapper);
    QJsonObject exec = body.value(QLatin1String("exec")).toObject();
    // A top-level `main` wins over exports (as upstream), so the wrapper is named by exec.main.
    exec.insert(QStringLiteral("main"), entry);
    body.insert(QStringLiteral("exec"), exec);
    body.insert(QStringLiteral("parameters"),
                keyValues(QJsonObject{{QStringLiteral("provider"), QStringLiteral("alarms")},
                                      {QStringLiteral("type"), QStringLiteral("alarm")}}));
    body.insert(QStringLiteral("annotations"),
                keyValues(QJsonObject{{QStringLiteral("feed"), true}}));
    return body;
}

QJsonObject misbehavingAlarmFeed(const FeedMisbehaviour &how)
{
    const auto json = [](const QStringList &list) {
        return QString::fromUtf8(
            QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
    };
    const QString wrapper
        = QStringLiteral("const feedscopeSlow = %1, feedscopeRefused = %2;\n"
                         "const [feedscopeRefusal] = %3;\n"
                         "async function feedscopeMain(p) {\n"
                         "  if (feedscopeRefused.includes(p.lifecycleEvent))\n"
                         "    return Promise.reject({ error: feedscopeRefusal });\n"
                         "  const r = await main(p);\n"
                         "  if (feedscopeSlow.includes(p.lifecycleEvent))\n"
                         "    await new Promise((done) => setTimeout(done, %4));\n"
                         "  return r;\n"
                         "}\n")
              .arg(json(how.slow), json(how.refused), json({how.refusal}))
              .arg(how.delayMs);
    return wrappedAlarmFeed(wrapper, QStringLiteral("feedscopeMain"));
}

bool emitMarkedEvent(const QString &serviceUrl, const QString &marker)
{
    const QJsonObject event{
        {QStringLiteral("type"), QStringLiteral("order.created")},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("marker"), marker}}}};
    return ServiceProcess::httpRequest("POST",
                                       serviceUrl + QStringLiteral("/emit"),
                                       QJsonDocument(event).toJson(QJsonDocument::Compact))
           == 201;
}

bool activationsOfCarry(EngineProcess &e, const QString &action, const QString &marker)
{
    const HttpResult r
        = e.get(api(QStringLiteral("activations?docs=true&limit=50&name=") + action));
    return r.status == 200 && r.body.contains(marker.toUtf8());
}

QJsonObject alarmEntry(EngineProcess &e, const QString &name)
{
    const QString triggerPath = QStringLiteral("/api/v1/namespaces/guest/triggers/") + name;
    const bool temporary = e.get(triggerPath).status == 404;
    if (temporary)
        e.put(triggerPath, QJsonObject{});
    const HttpResult r
        = e.get(QStringLiteral("/feedscope/v1/providers/alarms/feeds/guest/") + name);
    if (temporary)
        e.del(triggerPath);
    return r.status == 200 ? r.object() : QJsonObject();
}

quint16 freePort()
{
    QTcpServer server;
    return server.listen(QHostAddress::LocalHost, 0) ? server.serverPort() : 0;
}

bool acceptsConnections(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(2000);
}

} // namespace Feedscope::Testing
