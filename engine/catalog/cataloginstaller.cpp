// SPDX-License-Identifier: GPL-3.0-or-later
#include "cataloginstaller.h"

#include "core/ids.h"
#include "core/keyvalues.h"
#include "entityname.h"
#include "store/entitystore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace Feedscope::Engine {

namespace {

const QString systemNamespace = QStringLiteral("whisk.system");

// Puts `doc` unless an entity with the same content (ignoring version and time) is stored.
void putIfChanged(EntityStore &entities,
                  Collection collection,
                  const QString &docId,
                  QJsonObject doc)
{
    const Entity *existing = entities.find(docId);
    if (existing) {
        QJsonObject old = existing->doc;
        for (const char *volatileField : {"version", "updated"}) {
            old.remove(QLatin1String(volatileField));
            doc.remove(QLatin1String(volatileField));
        }
        if (old == doc)
            return;
    }
    doc.insert(QStringLiteral("version"),
               existing ? bumpPatchVersion(existing->doc.value(QLatin1String("version")).toString())
                        : QStringLiteral("0.0.1"));
    doc.insert(QStringLiteral("updated"), nowMs());
    entities.put(Entity{collection, docId, doc});
}

} // namespace

CatalogInstaller::CatalogInstaller(EntityStore &entities, const QString &catalogDirectory)
    : m_entities(entities)
    , m_directory(catalogDirectory)
{}

bool CatalogInstaller::install(QString *error)
{
    const QDir root(m_directory);
    for (const QString &name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (QFile::exists(root.filePath(name + QStringLiteral("/catalog.json")))
            && !installPackage(root.filePath(name), error)) {
            return false;
        }
    }
    return true;
}

bool CatalogInstaller::installPackage(const QString &directory, QString *error)
{
    QFile file(QDir(directory).filePath(QStringLiteral("catalog.json")));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1").arg(file.fileName());
        return false;
    }
    const QJsonObject spec = QJsonDocument::fromJson(file.readAll()).object();
    const QString package = spec.value(QLatin1String("package")).toString();
    if (package.isEmpty()) {
        *error = QStringLiteral("%1 names no package").arg(file.fileName());
        return false;
    }
    const QString packageId = systemNamespace + u'/' + package;
    putIfChanged(
        m_entities,
        Collection::Packages,
        packageId,
        QJsonObject{
            {QStringLiteral("namespace"), systemNamespace},
            {QStringLiteral("name"), package},
            {QStringLiteral("publish"), spec.value(QLatin1String("publish")).toBool(true)},
            {QStringLiteral("annotations"), spec.value(QLatin1String("annotations")).toArray()},
            {QStringLiteral("parameters"), spec.value(QLatin1String("parameters")).toArray()},
            {QStringLiteral("binding"), QJsonObject()}});

    for (const QJsonValue &value : spec.value(QLatin1String("actions")).toArray()) {
        const QJsonObject action = value.toObject();
        const QString name = action.value(QLatin1String("name")).toString();
        QJsonObject exec;
        QJsonArray parameters = action.value(QLatin1String("parameters")).toArray();
        if (action.contains(QLatin1String("sequence"))) {
            exec = {{QStringLiteral("kind"), QStringLiteral("sequence")},
                    {QStringLiteral("components"), action.value(QLatin1String("sequence"))}};
            parameters = QJsonArray{
                QJsonObject{{QStringLiteral("key"), QStringLiteral("_actions")},
                            {QStringLiteral("value"), action.value(QLatin1String("sequence"))}}};
        } else {
            QFile code(QDir(directory).filePath(action.value(QLatin1String("file")).toString()));
            if (!code.open(QIODevice::ReadOnly)) {
                *error = QStringLiteral("cannot read %1").arg(code.fileName());
                return false;
            }
            exec = {{QStringLiteral("kind"),
                     action.value(QLatin1String("kind")).toString(QStringLiteral("nodejs:20"))},
                    {QStringLiteral("code"), QString::fromUtf8(code.readAll())},
                    {QStringLiteral("binary"), false}};
        }
        QJsonArray annotations = action.value(QLatin1String("annotations")).toArray();
        annotations = KeyValues::with(
            annotations, QStringLiteral("exec"), exec.value(QLatin1String("kind")));
        if (KeyValues::value(annotations, u"provide-api-key").isUndefined())
            annotations = KeyValues::with(annotations, QStringLiteral("provide-api-key"), false);
        putIfChanged(m_entities,
                     Collection::Actions,
                     packageId + u'/' + name,
                     QJsonObject{{QStringLiteral("namespace"), packageId},
                                 {QStringLiteral("name"), name},
                                 {QStringLiteral("publish"), false},
                                 {QStringLiteral("exec"), exec},
                                 {QStringLiteral("annotations"), annotations},
                                 {QStringLiteral("parameters"), parameters},
                                 {QStringLiteral("limits"),
                                  QJsonObject{{QStringLiteral("timeout"), 60000},
                                              {QStringLiteral("memory"), 256},
                                              {QStringLiteral("logs"), 10},
                                              {QStringLiteral("concurrency"), 1}}}});
    }
    return true;
}

} // namespace Feedscope::Engine
