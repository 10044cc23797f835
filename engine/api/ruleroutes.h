// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apicall.h"
#include "services.h"

namespace Feedscope::Engine {

struct Entity;

// /api/v1/namespaces/{ns}/rules[/{name}]: CRUD and enable/disable (PROTOCOL.md 1.9). A rule's
// status lives in its trigger's `rules` map, as in the controller.
class RuleRoutes
{
public:
    explicit RuleRoutes(Services &services);
    void handle(const ApiCallPtr &call);

private:
    void list(const ApiCallPtr &call);
    void get(const ApiCallPtr &call, const QString &docId);
    void put(const ApiCallPtr &call, const QString &name);
    void remove(const ApiCallPtr &call, const QString &docId);
    void setStatus(const ApiCallPtr &call, const QString &docId);

    // The rule's status as stored in its trigger: "active", or "inactive" if the trigger is
    // gone or has no entry for it.
    QString statusOf(const Entity &rule) const;
    // Writes (or with an empty status, removes) the rule's entry in a trigger's map.
    void updateTriggerEntry(const QString &triggerId,
                            const QString &ruleKey,
                            const QJsonObject &actionRef,
                            const QString &status);

    Services &m_s;
};

} // namespace Feedscope::Engine
