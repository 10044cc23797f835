// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"
#include "entityname.h"
#include "whiskclient.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace Feedscope {

// What one rule did with one trigger activation: a line of the trigger activation's logs
// (PROTOCOL.md 2.4), parsed rather than compared as text since its key order is not fixed.
struct RuleOutcome
{
    QString rule;   // "ns/rule"
    QString action; // "ns/action" or "ns/pkg/action"
    int statusCode = -1;
    bool success = false;
    QString activationId; // the action's activation, when the rule ran it
    QString error;        // why not ("Rule 'ns/r' is inactive, ...")
};

QList<RuleOutcome> parseRuleOutcomes(const QStringList &triggerLogs);

// A fire followed through: the trigger activation, each rule's outcome, and the action
// activations those rules caused, as far as they finished within the wait.
struct FollowedFire
{
    bool fired = false;        // 202 (or 204, see noActiveRule)
    bool noActiveRule = false; // 204: the server kept no record of the fire
    QString triggerActivationId;
    QList<RuleOutcome> rules;
    QList<ActivationRecord> actions; // in rule order, only those found
    QStringList pending;             // action activation ids not recorded within the wait
    QString error;                   // the fire or a lookup failed

    // One readable paragraph: "Fired → rule orders-rule ran orders-handler: success (12 ms)".
    QString summary() const;
};

// Fires a trigger and follows the event: polls for the trigger activation (written after the
// 202, PROTOCOL.md 1.8) and then for each action activation its rules started, until all are
// recorded or `waitMs` passes. The callback is dropped when `context` dies.
void fireAndFollow(const WhiskClientPtr &client,
                   const QualifiedName &trigger,
                   const QJsonObject &payload,
                   QObject *context,
                   std::function<void(FollowedFire)> done,
                   int waitMs = 30000);

} // namespace Feedscope
