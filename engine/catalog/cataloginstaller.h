// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace Feedscope::Engine {

class EntityStore;

// Installs the system packages under resources/catalog/*/catalog.json into the whisk.system
// namespace at start-up, as a full OpenWhisk deployment has them (PROTOCOL.md 8.6-8.7). An entity
// whose content did not change is left alone, so versions only move when the catalog does.
class CatalogInstaller
{
public:
    CatalogInstaller(EntityStore &entities, const QString &catalogDirectory);

    // Returns false and sets `error` when a catalog file is unreadable.
    bool install(QString *error);

private:
    bool installPackage(const QString &directory, QString *error);

    EntityStore &m_entities;
    QString m_directory;
};

} // namespace Feedscope::Engine
