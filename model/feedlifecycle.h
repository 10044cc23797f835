// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "feedcall.h"
#include "lifecyclejournal.h"
#include "operation.h"
#include "whiskclient.h"

#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>

namespace Feedscope {

// Feed triggers done better than the CLI (PROTOCOL.md 3.2–3.5): every operation is an
// Operation with explicit steps; failures roll back, a feed DELETE that fails leaves a
// tombstone in the journal instead of an orphaned provider entry, UPDATE falls back to
// DELETE + CREATE where refused, PAUSE falls back to disabling rules ("soft pause").
//
// Operations start on the next event-loop turn and belong to nobody but themselves: they keep
// the client and the journal alive (shared ownership) and run to their end even when the
// FeedLifecycle, the profile or the editor that started them is gone — a save that was sent
// completes or rolls back. An operation destroyed before its end (the application quit) leaves
// a tombstone for what it could not finish (Operation's abandon hooks): an interrupted create
// or delete owes the feed DELETE and the trigger's deletion, an interrupted UPDATE by DELETE +
// CREATE owes the CREATE. Never a half-made feed trigger.
class FeedLifecycle : public QObject
{
    Q_OBJECT

public:
    FeedLifecycle(WhiskClientPtr client, LifecycleJournalPtr journal, QObject *parent = nullptr);

    // PUT the trigger (trigger parameters only, plus the feed annotation), then CREATE at the
    // feed with the feed parameters. On failure or timeout: DELETE at the feed, DELETE the
    // trigger, and report the feed's error.
    Operation *create(const QualifiedName &trigger,
                      const QualifiedName &feed,
                      const QJsonObject &triggerParams,
                      const QJsonObject &feedParams,
                      const QJsonObject &triggerAnnotations = {});
    // report.data: trigger (document), feed (name), feedResult (READ answer), config, status.
    Operation *read(const QualifiedName &trigger);
    // UPDATE with the updatable feed parameters only (the feed action's `parameters`
    // annotation, when it has one); where the feed refuses UPDATE: DELETE + CREATE, with a
    // warning about the gap. `triggerParams`, when not empty, replace the trigger's parameters.
    Operation *update(const QualifiedName &trigger,
                      const QJsonObject &feedParams,
                      const QJsonObject &triggerParams = {});
    // DELETE at the feed, then the trigger; a failed feed DELETE leaves a tombstone.
    Operation *remove(const QualifiedName &trigger);
    // PAUSE / UNPAUSE where the feed supports them (probed once, remembered in the journal),
    // otherwise a soft pause: the trigger's active rules are disabled (and remembered, so
    // unpause enables exactly those). report.data.mode is "feed", "soft" or "none".
    Operation *pause(const QualifiedName &trigger);
    Operation *unpause(const QualifiedName &trigger);

    // Fixes for what OrphanScan finds (model/feedrepair.cpp). Each re-checks the problem first.
    // The feed entry of a trigger deleted without its feed's DELETE: DELETE at `feed` (the
    // annotation as it was) once the trigger is confirmed gone; a failure leaves a tombstone.
    Operation *removeLeftover(const QualifiedName &trigger, const QString &feed);
    // CREATE at the trigger's feed again, for an entry the provider lost (its READ fails).
    Operation *recreateFeed(const QualifiedName &trigger, const QJsonObject &feedParams);
    // Deletes a rule once its action is confirmed gone (404).
    Operation *removeDanglingRule(const QualifiedName &rule);
    // One step per tombstone of this endpoint (only `tombstoneIds`, when given); every retry
    // runs, and the operation fails at the end when work is still owed.
    Operation *retryOwed(const QStringList &tombstoneIds = {});

    // Re-sends DELETE to the feeds of the journal's tombstones for this client's endpoint.
    void retryTombstones(QObject *context, std::function<void(int retried, int cleared)> done);

    const WhiskClientPtr &client() const { return m_client; }
    const LifecycleJournalPtr &journal() const { return m_journal; }

private:
    Operation *launch(const QString &title, QList<Operation::Step> steps);

    WhiskClientPtr m_client;
    LifecycleJournalPtr m_journal;
};

} // namespace Feedscope
