// SPDX-License-Identifier: GPL-3.0-or-later
#include "entityname.h"

#include <QRegularExpression>

namespace Feedscope {

namespace {

// Java's \w without UNICODE_CHARACTER_CLASS: ASCII letters, digits and underscore only.
bool isWordChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
           || u == u'_';
}

bool isInnerChar(QChar c)
{
    return isWordChar(c) || c == u'@' || c == u' ' || c == u'.' || c == u'&' || c == u'-';
}

} // namespace

bool isValidEntityName(QStringView name)
{
    if (name.isEmpty() || name.size() > 256 || !isWordChar(name.front()))
        return false;
    if (name.size() == 1)
        return true;
    const QChar last = name.back();
    if (last == u' ' || !isInnerChar(last))
        return false;
    for (qsizetype i = 1; i + 1 < name.size(); ++i) {
        if (!isInnerChar(name[i]))
            return false;
    }
    return true;
}

std::optional<QualifiedName> QualifiedName::parse(const QString &text,
                                                  const QString &defaultNamespace)
{
    const bool absolute = text.startsWith(u'/');
    const QStringList parts = (absolute ? text.mid(1) : text).split(u'/');
    QualifiedName result;
    if (absolute) {
        if (parts.size() == 2) {
            result = {parts[0], {}, parts[1]};
        } else if (parts.size() == 3) {
            result = {parts[0], parts[1], parts[2]};
        } else {
            return std::nullopt;
        }
    } else {
        if (parts.size() == 1) {
            result = {defaultNamespace, {}, parts[0]};
        } else if (parts.size() == 2) {
            result = {defaultNamespace, parts[0], parts[1]};
        } else {
            return std::nullopt;
        }
    }
    if (!isValidEntityName(result.name)
        || (!result.package.isEmpty() && !isValidEntityName(result.package)))
        return std::nullopt;
    if (result.ns != DefaultNamespace && !isValidEntityName(result.ns))
        return std::nullopt;
    return result;
}

bool isValidSemVer(const QString &version)
{
    static const QRegularExpression pattern(QStringLiteral("^\\d+\\.\\d+\\.\\d+$"));
    return pattern.match(version).hasMatch();
}

QString bumpPatchVersion(const QString &version)
{
    const QStringList parts = version.split(u'.');
    if (parts.size() != 3)
        return QStringLiteral("0.0.1");
    return parts[0] + u'.' + parts[1] + u'.' + QString::number(parts[2].toLongLong() + 1);
}

} // namespace Feedscope
