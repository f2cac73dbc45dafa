//! Test types written the way generated code will write them, declared with a macro.

#![allow(dead_code, unreachable_pub)]

/// Declares a struct and its `Encode`/`Decode`, like generated code: fields are written in
/// the order given, `optional` fields only when set, `required` fields must be present.
#[macro_export]
macro_rules! thrift_struct {
    ($(#[$meta:meta])* struct $name:ident { $($id:literal : $req:ident $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[allow(unreachable_pub)]
        pub struct $name {
            $(pub $field: $crate::thrift_struct!(@ty $req $ty),)*
        }

        impl ::rift::Encode for $name {
            const TTYPE: ::rift::TType = ::rift::TType::Struct;

            fn encode<W: ::rift::ProtocolWriter + ?Sized>(&self, w: &mut W) -> ::rift::Result<()> {
                w.write_struct_begin(stringify!($name))?;
                $($crate::thrift_struct!(@write $req w self.$field, $id, $field, $ty);)*
                w.write_field_stop()?;
                w.write_struct_end()
            }
        }

        impl ::rift::Decode for $name {
            const TTYPE: ::rift::TType = ::rift::TType::Struct;

            #[allow(unused_mut)]
            fn decode<R: ::rift::ProtocolReader + ?Sized>(r: &mut R) -> ::rift::Result<Self> {
                $(let mut $field: Option<$ty> = None;)*
                r.read_struct_begin()?;
                loop {
                    let header = r.read_field_begin()?;
                    if header.ttype == ::rift::TType::Stop {
                        break;
                    }
                    match header.id {
                        $($id if header.ttype == <$ty as ::rift::Decode>::TTYPE => {
                            $field = Some(<$ty as ::rift::Decode>::decode(r)
                                .map_err(|e| e.in_field(stringify!($name), stringify!($field)))?);
                        })*
                        _ => r.skip(header.ttype)?,
                    }
                    r.read_field_end()?;
                }
                r.read_struct_end()?;
                Ok($name {
                    $($field: $crate::thrift_struct!(@take $req $field, $name),)*
                })
            }
        }
    };
    (@ty optional $ty:ty) => { Option<$ty> };
    (@ty required $ty:ty) => { $ty };
    (@ty default $ty:ty) => { $ty };
    (@write optional $w:ident $value:expr, $id:literal, $field:ident, $ty:ty) => {
        if let Some(value) = &$value {
            $w.write_field_begin(stringify!($field), <$ty as ::rift::Encode>::TTYPE, $id)?;
            ::rift::Encode::encode(value, $w)?;
            $w.write_field_end()?;
        }
    };
    (@write $req:ident $w:ident $value:expr, $id:literal, $field:ident, $ty:ty) => {
        $w.write_field_begin(stringify!($field), <$ty as ::rift::Encode>::TTYPE, $id)?;
        ::rift::Encode::encode(&$value, $w)?;
        $w.write_field_end()?;
    };
    (@take optional $field:ident, $name:ident) => { $field };
    (@take required $field:ident, $name:ident) => {
        $field.ok_or_else(|| ::rift::Error::missing_field(stringify!($name), stringify!($field)))?
    };
    (@take default $field:ident, $name:ident) => { $field.unwrap_or_default() };
}

/// An open enum, as generated code will represent one: an `i32` newtype.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Color(pub i32);

impl Color {
    pub const RED: Color = Color(1);
    pub const GREEN: Color = Color(2);
    pub const BLUE: Color = Color(3);
}

impl rift::Encode for Color {
    const TTYPE: rift::TType = rift::TType::I32;

    fn encode<W: rift::ProtocolWriter + ?Sized>(&self, w: &mut W) -> rift::Result<()> {
        w.write_i32(self.0)
    }
}

impl rift::Decode for Color {
    const TTYPE: rift::TType = rift::TType::I32;

    fn decode<R: rift::ProtocolReader + ?Sized>(r: &mut R) -> rift::Result<Self> {
        r.read_i32().map(Color)
    }
}
