// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the engine test suites on top of EngineProcess: REST paths and bodies,
// entity creation, polling, and driving the system feed actions (PROTOCOL.md 3, 4).
#include "enginefixture.h"

#include <functional>

namespace Feedscope::Testing {

// ---- entities in the caller's namespace ---------------------------------------------------------

// "/api/v1/namespaces/_/" + tail.
QString api(const QString &tail);
// Percent-encodes each segment of "name" or "pkg/name".
QString encoded(const QString &path);
QString actionPath(const QString &name, const QString &ns = QStringLiteral("_"));
QString packagePath(const QString &name, const QString &ns = QStringLiteral("_"));
QString activationPath(const QString &id);

// {key, value}
QJsonObject kv(const QString &key, const QJsonValue &value);
// The value of `key` in a key/value array field of `doc` (Undefined if absent).
QJsonValue keyValue(const QJsonObject &doc, const QString &field, const QString &key);
QJsonValue annotation(const QJsonObject &doc, const QString &key);

// True for a 2xx answer; otherwise warns with `what` and the answer.
bool ok(const HttpResult &r, const char *what);

// Creates an action / a package and checks the engine accepted it (warns otherwise). The
// action's document, or an empty object on failure.
QJsonObject createAction(EngineProcess &e,
                         const QString &name,
                         const QJsonObject &body = nodeAction(),
                         const QByteArray &auth = guestKey);
bool createPackage(EngineProcess &e,
                   const QString &name,
                   const QJsonObject &body = {},
                   const QByteArray &auth = guestKey);

// Polls `condition` until it holds or a generous deadline passes (nothing is timed).
bool waitFor(const std::function<bool()> &condition, int deadlineMs = 60000);

// Activations of `name` (an action or a trigger), newest first.
QJsonArray activationsOf(EngineProcess &e, const QString &name);
// ---- activation records (PROTOCOL.md 2) -------------------------------------------------------

// response, response.result, response.status ("success", "application error", ...),
// response.result.error and the log lines of an activation record.
QJsonObject responseOf(const QJsonValue &activation);
QJsonObject resultOf(const QJsonValue &activation);
QString statusOf(const QJsonValue &activation);
QString errorOf(const QJsonValue &activation);
QStringList logsOf(const QJsonValue &activation);

// ---- system feed actions -----------------------------------------------------------------------

// The activation of one blocking feed invoke.
struct FeedCall
{
    int status = 0;
    QJsonObject activation;
    QByteArray body;

    bool success() const;
    QJsonObject result() const;
    // result.error.error (the provider's message), or result.error when that is a string.
    QString error() const;
    QString describe() const;
};

// Invokes the system feed action /whisk.system/<feedAction> (e.g. "alarms/alarm") blocking as
// `caller`, with {lifecycleEvent: event, triggerName: /_/<trigger>, authKey} added to `params`.
FeedCall invokeSystemFeed(EngineProcess &e,
                          const QString &feedAction,
                          const QString &event,
                          const QString &trigger,
                          QJsonObject params = {},
                          const QByteArray &authKey = guestKey,
                          const QByteArray &caller = guestKey);

// The body of a feed action that drives the engine's alarms provider like
// /whisk.system/alarms/alarm (resources/catalog/providerfeed/feed.js, whose `main` it keeps)
// through `wrapper`: JavaScript that defines the function `entry`, which may call main(p). For
// feeds that refuse events, answer slowly, ... in lifecycle tests.
QJsonObject wrappedAlarmFeed(const QString &wrapper, const QString &entry);

// How a wrapped alarms feed misbehaves: the events it refuses (rejecting with `refusal`) and
// those it answers only `delayMs` after the provider did the work.
struct FeedMisbehaviour
{
    QStringList refused;
    QString refusal = QStringLiteral("unsupported lifecycleEvent");
    QStringList slow;
    int delayMs = 0;
};
QJsonObject misbehavingAlarmFeed(const FeedMisbehaviour &how);

// The alarms provider's entry for trigger guest/<name> (empty when it has none). The provider's
// API checks the trigger with the key, so a missing trigger is created for the look-up and
// removed again: ask only once the trigger exists when something else is about to create it.
QJsonObject alarmEntry(EngineProcess &e, const QString &name);

// Emits an order.created event carrying `marker` from the sample event service at `serviceUrl`
// (POST /emit); false when the service did not take it.
bool emitMarkedEvent(const QString &serviceUrl, const QString &marker);
// True when an activation of `action` carries `marker` (its result holds the event).
bool activationsOfCarry(EngineProcess &e, const QString &action, const QString &marker);

// A port nothing listens on right now, and whether something accepts connections on one.
quint16 freePort();
bool acceptsConnections(quint16 port);

// `wsk trigger create T` and, unless `action` is empty, an echo action `action` plus the rule
// r_<trigger>: T -> action.
bool setUpTrigger(EngineProcess &e, const QString &trigger, const QString &action = {});

// `wsk trigger create T --feed <feed>` (`feed` is the full path, e.g. "/whisk.system/alarms/alarm")
// and, unless `action` is empty, an echo action `action` plus the rule r_<trigger>: T -> action.
bool setUpFeedTrigger(EngineProcess &e,
                      const QString &trigger,
                      const QString &feed,
                      const QString &action = {});

} // namespace Feedscope::Testing
