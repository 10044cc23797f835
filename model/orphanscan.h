// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lifecyclejournal.h"
#include "whiskclient.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace Feedscope {

// Something in a namespace that no longer works as a whole, with what to do about it.
struct Finding
{
    enum class Kind {
        FeedUnreadable,    // a feed trigger whose READ fails: the provider lost its entry
        FeedInactive,      // a feed trigger whose provider entry is disabled (status.active false)
        NoActiveRule,      // a trigger with no active rule: its events run nothing
        RuleActionMissing, // a rule whose action is gone
        Tombstone,         // a feed DELETE still owed to a provider (LifecycleJournal)
        ScanIncomplete,    // a listing the scan could not read
    };

    Kind kind = Kind::NoActiveRule;
    QString entity; // "/guest/t", "/guest/r1", or the tombstone's trigger
    QString problem;
    QString proposedFix;
};

QString findingKindName(Finding::Kind kind); // "feed-unreadable", "no-active-rule", ...

// Scans the client's namespace for broken feed plumbing (PROTOCOL.md 1.8, 1.9, 3): every
// trigger (its rules, and for feed triggers the feed's READ answer), every rule's action, and
// the journal's tombstones for this endpoint. Read-only: it proposes fixes, it applies none.
class OrphanScan : public QObject
{
    Q_OBJECT

public:
    OrphanScan(WhiskClientPtr client, LifecycleJournalPtr journal, QObject *parent = nullptr);

    // `done` gets every finding; it is dropped if `context` dies first.
    void run(QObject *context, std::function<void(QList<Finding>)> done);

private:
    WhiskClientPtr m_client;
    LifecycleJournalPtr m_journal;
};

} // namespace Feedscope
