// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "feedcall.h"
#include "operation.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>

namespace Feedscope {

class LifecycleJournal;
class WhiskClient;

// Feed triggers done better than the CLI (PROTOCOL.md 3.2–3.5): every operation is an
// Operation with explicit steps; failures roll back, a feed DELETE that fails leaves a
// tombstone in the journal instead of an orphaned provider entry, UPDATE falls back to
// DELETE + CREATE where refused, PAUSE falls back to disabling rules ("soft pause").
// Operations are children of `context` and start on the next event-loop turn.
class FeedLifecycle : public QObject
{
    Q_OBJECT

public:
    FeedLifecycle(WhiskClient &client, LifecycleJournal &journal, QObject *parent = nullptr);

    // PUT the trigger (trigger parameters only, plus the feed annotation), then CREATE at the
    // feed with the feed parameters. On failure or timeout: DELETE at the feed, DELETE the
    // trigger, and report the feed's error.
    Operation *create(const QualifiedName &trigger,
                      const QualifiedName &feed,
                      const QJsonObject &triggerParams,
                      const QJsonObject &feedParams,
                      QObject *context,
                      const QJsonObject &triggerAnnotations = {});
    // report.data: trigger (document), feed (name), feedResult (READ answer), config, status.
    Operation *read(const QualifiedName &trigger, QObject *context);
    // UPDATE with the updatable feed parameters only (the feed action's `parameters`
    // annotation, when it has one); where the feed refuses UPDATE: DELETE + CREATE, with a
    // warning about the gap. `triggerParams`, when not empty, replace the trigger's parameters.
    Operation *update(const QualifiedName &trigger,
                      const QJsonObject &feedParams,
                      QObject *context,
                      const QJsonObject &triggerParams = {});
    // DELETE at the feed, then the trigger; a failed feed DELETE leaves a tombstone.
    Operation *remove(const QualifiedName &trigger, QObject *context);
    // PAUSE / UNPAUSE where the feed supports them (probed once, remembered in the journal),
    // otherwise a soft pause: the trigger's active rules are disabled (and remembered, so
    // unpause enables exactly those). report.data.mode is "feed", "soft" or "none".
    Operation *pause(const QualifiedName &trigger, QObject *context);
    Operation *unpause(const QualifiedName &trigger, QObject *context);

    // Re-sends DELETE to the feeds of the journal's tombstones for this client's endpoint.
    void retryTombstones(QObject *context, std::function<void(int retried, int cleared)> done);

    WhiskClient &client() { return m_client; }
    LifecycleJournal &journal() { return m_journal; }

private:
    Operation *launch(const QString &title, QList<Operation::Step> steps, QObject *context);

    WhiskClient &m_client;
    LifecycleJournal &m_journal;
};

} // namespace Feedscope
