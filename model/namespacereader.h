// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprints.h"
#include "result.h"

#include <QList>
#include <QObject>
#include <QString>

#include <functional>

namespace Feedscope {

class Session;

// Reads entities of a session's namespace as PlannedEntity values — the form that manifests,
// `wsk` commands and comparisons use: actions with their code, feed triggers with their feed's
// parameters (from a READ through the lifecycle, minus what the provider adds to every answer).
// Callbacks are dropped when `context` dies.
namespace NamespaceReader {

// One entity; `name` relative to the namespace ("x" or "pkg/x"). 404 → an error with
// httpStatus 404, so callers can tell "absent" from "unreadable".
void read(Session *session,
          PlannedEntity::Kind kind,
          const QString &name,
          QObject *context,
          std::function<void(Result<PlannedEntity>)> done);

// Every entity the explorer lists, plus the actions inside the namespace's own packages, in
// deploy order (bindings, packages, actions, triggers, rules), without what a feed made for
// itself (its CREATE makes that again). `progress` reports done / total.
void readAll(Session *session,
             QObject *context,
             std::function<void(Result<QList<PlannedEntity>>)> done,
             std::function<void(int done, int total)> progress = {});

} // namespace NamespaceReader

} // namespace Feedscope
