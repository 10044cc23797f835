// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lifecyclejournal.h"
#include "whiskclient.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace Feedscope {

class FeedLifecycle;
class Operation;
class ScanRun;

// Something in a namespace that no longer works as a whole, with what to do about it.
struct Finding
{
    enum class Kind {
        FeedUnreadable,    // a feed trigger whose READ fails: the provider lost its entry
        FeedInactive,      // a feed trigger whose provider entry is disabled (status.active false)
        NoActiveRule,      // a trigger with no active rule: its events run nothing
        RuleActionMissing, // a rule whose action is gone
        Tombstone,         // a feed DELETE still owed to a provider (LifecycleJournal)
        ScanIncomplete,    // a listing the scan could not read, or a cancelled scan
        LeftoverFeed,      // a feed trigger deleted without its feed's DELETE (remembered by
                           // the journal): the provider may still fire into nothing
    };
    // The one-click fix, a FeedLifecycle operation (OrphanScan::fix).
    enum class Fix {
        None,           // only proposedFix's words (e.g. parameters are needed)
        DeleteLeftover, // FeedLifecycle::removeLeftover
        RecreateFeed,   // FeedLifecycle::recreateFeed with feedParams
        DeleteRule,     // FeedLifecycle::removeDanglingRule
        RetryTombstone, // FeedLifecycle::retryOwed
        Unpause,        // FeedLifecycle::unpause (paused at the feed, or soft-paused)
    };

    Kind kind = Kind::NoActiveRule;
    QString entity; // "/guest/t", "/guest/r1", or the tombstone's trigger
    QString problem;
    QString proposedFix;
    Fix fix = Fix::None;
    // (Initialized, so that aggregate initialization of the fields above stays warning-free.)
    QString feed = {};           // the feed involved, as the trigger's annotation names it
    QString tombstoneId = {};    // RetryTombstone
    QJsonObject feedParams = {}; // RecreateFeed: the last feed parameters known
};

QString findingKindName(Finding::Kind kind); // "feed-unreadable", "no-active-rule", ...
QString findingFixName(Finding::Fix fix);    // "Delete the leftover entry", ... ("" for None)

// Scans the client's namespace for broken feed plumbing (PROTOCOL.md 1.8, 1.9, 3): every
// trigger (its rules, and for feed triggers the feed's READ answer), every rule's action, the
// journal's tombstones for this endpoint, and the feed triggers the journal remembers that are
// gone (deleted without their feed's DELETE). It remembers the feed triggers it lists. It
// changes nothing in the namespace: it proposes fixes, fix() applies one. One scan at a time.
class OrphanScan : public QObject
{
    Q_OBJECT

public:
    OrphanScan(WhiskClientPtr client, LifecycleJournalPtr journal, QObject *parent = nullptr);
    ~OrphanScan() override;

    // `done` gets every finding; it is dropped if `context` dies first.
    void run(QObject *context, std::function<void(QList<Finding>)> done);
    // Stops before the next check; `done` then gets the findings so far and a ScanIncomplete
    // finding saying the scan was cancelled.
    void cancel();
    bool isRunning() const;

    // Starts the finding's fix through `lifecycle`; nullptr when it has none (Fix::None).
    static Operation *fix(FeedLifecycle &lifecycle, const Finding &finding);

Q_SIGNALS:
    // Check `step` (0-based) of `count` starts ("Listing triggers", "Rule /guest/r1", ...);
    // `count` grows once the listings are in.
    void progress(int step, int count, const QString &text);

private:
    friend class ScanRun; // clears m_run before `done`: isRunning() is false in it

    WhiskClientPtr m_client;
    LifecycleJournalPtr m_journal;
    QPointer<QObject> m_run; // the running scan's state
};

} // namespace Feedscope
