// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The steps and shared state that FeedLifecycle's operations are built from. Private to the
// feedlifecycle*.cpp / feedpause.cpp files; not part of the model's interface.

#include "feedcall.h"
#include "lifecyclejournal.h"
#include "operation.h"
#include "whiskclient.h"

#include <QJsonObject>
#include <QStringList>

#include <memory>
#include <optional>

namespace Feedscope::FeedSteps {

using Step = Operation::Step;

// What the steps of one operation learn and share.
struct TriggerState
{
    QualifiedName requested;
    QualifiedName resolved; // namespace as the controller answered ("guest", not "_")
    Trigger trigger;
    std::optional<QualifiedName> feed;
    QString feedText; // the annotation as stored
    bool feedEntryExists = false;
    bool triggerUnanswered = false; // create: the trigger's PUT got no answer
    // update
    QJsonObject sendParams;
    QJsonObject oldConfig;
    bool haveOldConfig = false;
    qint64 gapStart = 0;
    // remove
    QString feedDeleteError;
    // soft pause
    QStringList disabledRules;
};

// "the feed /ns/f refused UPDATE: why", or the transport error when the feed never answered.
QString failureText(const QString &event, const FeedAnswer &a, const QString &feed);

// A rule named by a trigger's rule key ("ns/name", PROTOCOL.md 1.8).
QualifiedName ruleName(const QString &key);

// The trigger's fully qualified name as the controller answered it.
QString triggerNameOf(const TriggerState &s);

// Records what an interrupted or failed operation still owes for the trigger of `s`.
Tombstone leaveTombstone(const WhiskClientPtr &client,
                         const LifecycleJournalPtr &journal,
                         const TriggerState &s,
                         Tombstone::Work work,
                         const QJsonObject &params = {},
                         const QString &error = {});

// Puts the feed call the operation made into report.data.feedCall — {event, trigger, params,
// activationId, activation (the record, when returned)} — so that a console can show the
// request and the feed's activation of a composite operation too.
void recordFeedCall(Operation &op,
                    const QString &event,
                    const QString &trigger,
                    const QJsonObject &params,
                    const FeedAnswer &answer);

// Remembers the trigger of `s` as a feed trigger, with the feed parameters known now.
void rememberFeedTrigger(const WhiskClientPtr &client,
                         const LifecycleJournalPtr &journal,
                         const TriggerState &s,
                         const QJsonObject &params);

// The work of a "Configure the feed (CREATE)" step: CREATE at the feed of `s` with `params`;
// records the call, and on success marks the entry as existing and remembers the trigger.
std::function<void(Operation &, Operation::Next)> createAtFeed(const WhiskClientPtr &client,
                                                               const LifecycleJournalPtr &journal,
                                                               std::shared_ptr<TriggerState> s,
                                                               const QJsonObject &params);

// Reads the trigger into `s` (name as resolved, feed annotation); fails without a feed when
// `requireFeed`.
Step readTriggerStep(const WhiskClientPtr &client,
                     std::shared_ptr<TriggerState> s,
                     bool requireFeed);

// The rule keys of `t` that are active.
QStringList activeRules(const Trigger &t);

// Enables or disables one rule of the trigger (undo flips it back); a rule no longer attached
// is not enabled again.
Step setRuleStep(const WhiskClientPtr &client,
                 const QString &rule,
                 bool active,
                 std::shared_ptr<TriggerState> s);

} // namespace Feedscope::FeedSteps
