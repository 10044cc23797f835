// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entitytreemodel.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace Feedscope::Ui {

// An entity of the current namespace as panels pass it around: its kind and its name relative
// to the namespace ("x", or "pkg/x" for an action in a package).
struct EntityRef
{
    ExplorerEntry::Kind kind = ExplorerEntry::Kind::Action;
    QString name;

    // The entity an explorer index stands for (none for the namespace and group rows).
    static std::optional<EntityRef> fromIndex(const QModelIndex &index);
    static QString kindName(ExplorerEntry::Kind kind);  // "action", "trigger", ...
    static QString kindTitle(ExplorerEntry::Kind kind); // "Action", "Trigger", ...
    friend bool operator==(const EntityRef &, const EntityRef &) = default;
};

} // namespace Feedscope::Ui

Q_DECLARE_METATYPE(Feedscope::Ui::EntityRef)
