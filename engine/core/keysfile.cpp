// SPDX-License-Identifier: GPL-3.0-or-later
#include "keysfile.h"

#include "engine.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QUuid>

namespace Feedscope::Engine::KeysFile {

namespace {

const QString guestNs = QStringLiteral("guest");
const QString systemNs = QStringLiteral("whisk.system");

QString randomKey()
{
    // 64 characters of [A-Za-z0-9], like the well-known keys: ~381 bits from the OS source.
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString key;
    for (int i = 0; i < 64; ++i)
        key.append(QLatin1Char(alphabet[QRandomGenerator::system()->bounded(62)]));
    return key;
}

} // namespace

bool isWellKnown(const Identity &identity)
{
    for (const Identity &known : {guestIdentity(), whiskSystemIdentity()}) {
        if (identity.uuid == known.uuid || identity.key == known.key)
            return true;
    }
    return false;
}

QList<Identity> read(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("--keys: cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("--keys: %1 is not a JSON object (%2); expected "
                                "{\"guest\": \"uuid:key\", \"whisk.system\": \"uuid:key\"}")
                     .arg(path, parseError.errorString());
        return {};
    }
    QList<Identity> identities;
    for (const QString &ns : {guestNs, systemNs}) {
        const QString value = document.object().value(ns).toString();
        const qsizetype colon = value.indexOf(u':');
        if (colon <= 0 || colon == value.size() - 1) {
            *error = QStringLiteral("--keys: %1 has no key \"uuid:key\" for namespace '%2'")
                         .arg(path, ns);
            return {};
        }
        const Identity identity{ns, ns, value.left(colon), value.mid(colon + 1)};
        if (identity.key.size() < 16) {
            *error = QStringLiteral("--keys: the key for '%1' in %2 is shorter than 16 characters")
                         .arg(ns, path);
            return {};
        }
        if (isWellKnown(identity)) {
            *error = QStringLiteral("--keys: %1 gives '%2' a well-known key; use keys of your own "
                                    "(feedscope-engine --write-keys FILE makes some)")
                         .arg(path, ns);
            return {};
        }
        identities.append(identity);
    }
    if (identities[0].uuid == identities[1].uuid) {
        *error
            = QStringLiteral("--keys: guest and whisk.system need different uuids in %1").arg(path);
        return {};
    }
    return identities;
}

bool writeNew(const QString &path, QString *error)
{
    QFile file(path);
    if (file.exists()) {
        *error = QStringLiteral("--write-keys: %1 exists; not overwriting it").arg(path);
        return false;
    }
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        *error = QStringLiteral("--write-keys: cannot create %1: %2").arg(path, file.errorString());
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QJsonObject keys;
    for (const QString &ns : {guestNs, systemNs}) {
        keys.insert(
            ns, QString(QUuid::createUuid().toString(QUuid::WithoutBraces) + u':' + randomKey()));
    }
    if (file.write(QJsonDocument(keys).toJson()) < 0 || !file.flush()) {
        *error = QStringLiteral("--write-keys: cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace Feedscope::Engine::KeysFile
